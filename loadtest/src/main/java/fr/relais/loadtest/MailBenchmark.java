package fr.relais.loadtest;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import fr.relais.mail.Email;
import fr.relais.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Emails per second through the outbox (sealed rows, claimed with SKIP LOCKED, sent over a pooled SMTP
 * connection) to a local SMTP sink, beside the raw insert-and-commit rate of the same run.
 */
final class MailBenchmark {
    static final int EMAILS = 5_000;

    private MailBenchmark() {
    }

    static void run(int seconds) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GreenMail sink = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        sink.start();
        try (BenchHub bench = BenchHub.start(Map.of("mail.transport", "smtp", "mail.host", "127.0.0.1",
                "mail.port", String.valueOf(port), "mail.batchSize", "200", "notify.quietHours", ""))) {
            var hub = bench.hub;
            var pool = hub.streams().pool();
            double raw = DepositBenchmark.RawInsert.rate(pool, 32, java.time.Duration.ofSeconds(2),
                    java.time.Duration.ofSeconds(Math.max(5, seconds / 2)));
            hub.dispatcher().stop(); // queue everything first, then measure the sending alone
            Outbox outbox = hub.outbox();
            for (int batch = 0; batch < EMAILS / 500; batch++) {
                int first = batch * 500;
                pool.withTransaction(tx -> {
                    List<Future<Boolean>> rows = new ArrayList<>();
                    for (int i = first; i < first + 500; i++) {
                        rows.add(outbox.enqueue(tx, new Email("p" + (i % 100) + "@bench.example", "Du nouveau dans votre espace santé",
                                "1 nouveau message", "<p>1 nouveau message</p>")
                                .outgoing("bench:" + i, null, "digest", Outbox.NOTIFICATION, Instant.now())));
                    }
                    return Future.all(rows);
                }).await();
            }
            long start = System.nanoTime();
            long sent = 0;
            while (sent < EMAILS && System.nanoTime() - start < java.time.Duration.ofMinutes(5).toNanos()) {
                hub.dispatcher().runOnce().await();
                sent = pool.query("SELECT count(*) FROM outbox WHERE status = 'sent'").execute().await().iterator().next().getLong(0);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            int received = sink.getReceivedMessages().length;
            double smtpOnly = smtpOnly(hub.vertx(), port);
            Results.report("mails", Map.of(
                    "raw_insert_commit_per_s", raw,
                    "smtp_only_baseline_per_s", smtpOnly,
                    "emails_sent_per_s", sent / elapsed,
                    "ratio_emails_to_raw", sent / elapsed / raw,
                    "ratio_emails_to_smtp_only", sent / elapsed / smtpOnly,
                    "emails_sent", sent,
                    "emails_received_by_sink", received,
                    "emails_received_by_sink_in_the_baseline", sink.getReceivedMessages().length - received,
                    "setup", Map.of("emails", EMAILS, "smtp", "GreenMail on loopback", "batchSize", 200)));
        } finally {
            sink.stop();
        }
    }

    /**
     * The least work a competitor must do: the same emails sent straight to the same sink, with the same client
     * settings as the hub's (8 pooled connections kept alive), 200 at a time, with no outbox; emails per second.
     */
    private static double smtpOnly(Vertx vertx, int port) {
        MailClient client = MailClient.create(vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
                .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setMaxPoolSize(8).setKeepAlive(true));
        try {
            long start = System.nanoTime();
            for (int first = 0; first < EMAILS; first += 200) {
                List<Future<?>> batch = new ArrayList<>();
                for (int i = first; i < Math.min(EMAILS, first + 200); i++) {
                    batch.add(client.sendMail(new MailMessage().setFrom("relais@bench.example").setTo("p" + (i % 100) + "@bench.example")
                            .setSubject("Du nouveau dans votre espace santé").setText("1 nouveau message")
                            .setHtml("<p>1 nouveau message</p>")));
                }
                Future.all(batch).await();
            }
            return EMAILS / ((System.nanoTime() - start) / 1e9);
        } finally {
            client.close().await();
        }
    }
}
