package fr.relais.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.config.ConfigLoader;
import fr.relais.config.MailConfig;
import io.vertx.core.Vertx;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The development transport ({@code mail.transport: file}) writes emails that any mail program reads as they were
 * sent: each part says its charset and its transfer encoding, and decodes to the text written, accents included.
 */
class FileMailerTest {
    @TempDir
    Path dir;

    @Test
    void anEmlFileSaysHowEachPartIsEncodedAndReadsBackAsWritten() throws Exception {
        MailConfig config = ConfigLoader.load(Optional.empty(), Map.of("RELAIS_MAIL_DIR", dir.toString()), Map.of()).mail();
        String text = "Bonjour Élodie,\r\n\r\nVotre code de connexion est : 123456\r\n\r\n" + "Il est valable dix minutes. ".repeat(12) + "Cordialement,\r\nRelais";
        String html = "<p>Bonjour Élodie,</p><p>Votre code de connexion est : <b>123456</b></p>";
        Vertx vertx = Vertx.vertx();
        try {
            Mailer.create(vertx, config).send(new Email("elodie@example.fr", "Votre code de connexion à Relais", text, html), "m-1")
                    .await();
        } finally {
            vertx.close().await();
        }

        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.toList();
        }
        assertEquals(1, files.size(), files.toString());
        String raw = Files.readString(files.get(0));
        assertTrue(raw.chars().allMatch(c -> c < 128), "7-bit: what is not ASCII is encoded\n" + raw);
        assertTrue(raw.contains("Votre code de connexion est : 123456"), "the code stays findable in the file\n" + raw);
        MimeMessage message;
        try (InputStream in = Files.newInputStream(files.get(0))) {
            message = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertEquals("Votre code de connexion à Relais", message.getSubject());
        assertEquals("<m-1@relais>", message.getMessageID());
        Multipart parts = (Multipart) message.getContent();
        assertEquals(2, parts.getCount());
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            assertTrue(part.getContentType().toLowerCase().contains("charset=utf-8"), part.getContentType());
            String[] encoding = part.getHeader("Content-Transfer-Encoding");
            assertTrue(encoding != null && encoding.length == 1, "part " + i + " names its transfer encoding\n" + raw);
        }
        // the line ends after the last line are the encoder's
        assertEquals(text, ((String) parts.getBodyPart(0).getContent()).replaceFirst("[\\r\\n]+$", ""));
        assertEquals(html, ((String) parts.getBodyPart(1).getContent()).replaceFirst("[\\r\\n]+$", ""));
    }
}
