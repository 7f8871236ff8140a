package fr.relais.mail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class SmtpFailuresTest {
    @Test
    void fiveHundredsArePermanentTheRestIsRetried() {
        assertTrue(SmtpFailures.permanent(new IllegalStateException("sending failed: 550 5.1.1 mailbox unavailable")));
        assertTrue(SmtpFailures.permanent(new IllegalStateException("553-Address rejected")));
        assertFalse(SmtpFailures.permanent(new IllegalStateException("421 4.3.2 service not available")));
        assertFalse(SmtpFailures.permanent(new ConnectException("Connection refused: /127.0.0.1:1025")));
        assertFalse(SmtpFailures.permanent(new IllegalStateException("timeout after 10000 ms")));
    }
}
