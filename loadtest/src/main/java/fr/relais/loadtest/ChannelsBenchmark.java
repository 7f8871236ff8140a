package fr.relais.loadtest;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.outbox.OutboxDispatcher;
import fr.relais.outbox.Outgoing;
import fr.relais.push.PushTexts;
import fr.relais.sms.Sms;
import fr.relais.testing.PushDevice;
import fr.relais.testing.PushReceiver;
import fr.relais.testing.SmscSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

/**
 * 5,000 SMS and 5,000 pushes through their outboxes (sealed rows, claimed with SKIP LOCKED, per-number limits for
 * SMS, the subscription opened and the endpoint checked for each push) to receivers in this process: an SMPP 3.4
 * server (jsmpp) and an HTTPS push service that checks each VAPID token and decrypts each body as a browser does.
 * Each SMS carries a distinct number and code, each push a distinct device (250 people with 20 devices each,
 * registered through the public API) and count, so every delivery is counted by id: missing, duplicated. Baselines of
 * the same run: single-row insert + commit, and the least work a competitor must do, the same messages sent straight
 * to the same receivers with no outbox (SMPP: one bound session, 8 threads; push: the same library's encryption and
 * VAPID headers, the same HTTP client, 200 in flight).
 */
final class ChannelsBenchmark {
    static final int ITEMS = 5_000;
    private static final int PEOPLE = 250;
    private static final int DEVICES_EACH = ITEMS / PEOPLE;
    private static final Pattern CODE = Pattern.compile("(\\d{6})");

    private ChannelsBenchmark() {
    }

    static void run(int seconds) throws Exception {
        try (SmscSimulator smsc = new SmscSimulator(); PushReceiver pushService = new PushReceiver(Instant::now).start();
             BenchHub bench = BenchHub.start(Map.ofEntries(Map.entry("sms.transport", "smpp"), Map.entry("sms.smpp.host", "127.0.0.1"),
                     Map.entry("sms.smpp.port", String.valueOf(smsc.port())), Map.entry("sms.smpp.systemId", SmscSimulator.SYSTEM_ID),
                     Map.entry("sms.smpp.password", SmscSimulator.PASSWORD), Map.entry("sms.batchSize", "200"),
                     Map.entry("push.batchSize", "200"), Map.entry("push.trustedCertificates", pushService.certificatePath()),
                     Map.entry("push.allowPrivateAddresses", "true"), Map.entry("notify.quietHours", "")))) {
            var hub = bench.hub;
            Pool pool = hub.streams().pool();
            double raw = DepositBenchmark.RawInsert.rate(pool, 32, Duration.ofSeconds(2), Duration.ofSeconds(Math.max(5, seconds / 2)));
            List<Device> devices = devices(bench, pushService);
            OutboxDispatcher sms = hub.dispatcher(Channel.SMS);
            OutboxDispatcher push = hub.dispatcher(Channel.PUSH);
            sms.stop(); // queue everything first, then measure the sending alone
            push.stop();
            Outbox outbox = hub.outbox();
            queue(pool, i -> new Sms(number(i), "Mon espace santé : code de connexion " + String.format("%06d", i)
                    + ". Ne le donnez à personne.").outgoing("bench-sms:" + i, null, "security", Outbox.SECURITY, Instant.now(),
                    Instant.now().plus(Duration.ofHours(1))), outbox);
            queue(pool, i -> Outgoing.of(Channel.PUSH, "bench-push:" + i, devices.get(i).account(), devices.get(i).id().toString(),
                    "notification", Outbox.NOTIFICATION, PushTexts.payload("fr", Map.of("messages", i + 1)), Instant.now()), outbox);

            double smsPerSecond = drain(pool, sms, "sms");
            double pushPerSecond = drain(pool, push, "push");
            Map<String, Object> smsCount = countSms(smsc.received());
            Map<String, Object> pushCount = countPushes(pushService, devices);

            double smppOnly = smppOnly(smsc);
            double pushOnly = pushOnly(hub.vertx(), pushService, devices);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("raw_insert_commit_per_s", raw);
            figures.put("sms_sent_per_s", smsPerSecond);
            figures.put("smpp_only_baseline_per_s", smppOnly);
            figures.put("ratio_sms_to_smpp_only", smsPerSecond / smppOnly);
            figures.put("sms_delivery", smsCount);
            figures.put("pushes_sent_per_s", pushPerSecond);
            figures.put("push_only_baseline_per_s", pushOnly);
            figures.put("ratio_pushes_to_push_only", pushPerSecond / pushOnly);
            figures.put("push_delivery", pushCount);
            figures.put("setup", Map.of("sms", ITEMS, "pushes", ITEMS, "people", PEOPLE, "devicesEach", DEVICES_EACH,
                    "batchSize", 200, "receivers", "jsmpp SMPP server and a Vert.x HTTPS push service in the load-test process"));
            Results.report("channels", figures);
        }
    }

    private record Device(UUID account, UUID id, PushDevice keys, String name) {
    }

    /** 250 people, each registering 20 devices through the public API, as their browsers would. */
    private static List<Device> devices(BenchHub bench, PushReceiver pushService) throws Exception {
        List<Device> devices = new ArrayList<>(ITEMS);
        for (int p = 0; p < PEOPLE; p++) {
            JsonObject person = bench.person(true);
            String token = person.getString("accessToken");
            if (p == 0) {
                pushService.expectKey(java.util.Base64.getUrlDecoder().decode(bench.get("/api/v1/push/key", token)
                        .getString("applicationServerKey")));
            }
            for (int d = 0; d < DEVICES_EACH; d++) {
                String name = "p" + p + "d" + d;
                PushDevice keys = pushService.device(name);
                JsonObject added = bench.post("/api/v1/push/subscriptions", keys.subscription().put("label", "Bench " + d), token);
                devices.add(new Device(UUID.fromString(person.getString("id")), UUID.fromString(added.getString("id")), keys, name));
            }
        }
        return devices;
    }

    private static String number(int i) {
        return String.format("+3361%07d", i);
    }

    private static void queue(Pool pool, java.util.function.IntFunction<Outgoing> item, Outbox outbox) {
        for (int first = 0; first < ITEMS; first += 500) {
            int from = first;
            pool.withTransaction(tx -> {
                List<Future<Boolean>> rows = new ArrayList<>();
                for (int i = from; i < Math.min(ITEMS, from + 500); i++) {
                    rows.add(outbox.enqueue(tx, item.apply(i)));
                }
                return Future.all(rows);
            }).await();
        }
    }

    /** Runs the dispatcher's batches until every item of its channel left (or five minutes); items per second. */
    private static double drain(Pool pool, OutboxDispatcher dispatcher, String channel) {
        long start = System.nanoTime();
        long done = 0;
        while (done < ITEMS && System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
            dispatcher.runOnce().await();
            done = pool.preparedQuery("SELECT count(*) FROM outbox WHERE channel = $1 AND status IN ('sent', 'dead', 'skipped')")
                    .execute(Tuple.of(channel)).await().iterator().next().getLong(0);
        }
        long sent = pool.preparedQuery("SELECT count(*) FROM outbox WHERE channel = $1 AND status = 'sent'")
                .execute(Tuple.of(channel)).await().iterator().next().getLong(0);
        return sent / ((System.nanoTime() - start) / 1e9);
    }

    private static Map<String, Object> countSms(List<SmscSimulator.Received> received) {
        Map<String, Integer> byCode = new HashMap<>();
        int wrongNumber = 0;
        for (SmscSimulator.Received sms : received) {
            Matcher code = CODE.matcher(sms.text());
            if (!code.find() || !sms.to().equals(number(Integer.parseInt(code.group(1))))) {
                wrongNumber++;
                continue;
            }
            byCode.merge(code.group(1), 1, Integer::sum);
        }
        return delivery(byCode, wrongNumber);
    }

    private static Map<String, Object> countPushes(PushReceiver pushService, List<Device> devices) {
        Map<String, Integer> byCount = new HashMap<>();
        int undecryptable = 0;
        for (int i = 0; i < ITEMS; i++) {
            for (PushReceiver.Received push : pushService.receivedBy(devices.get(i).name())) {
                if (!push.problems().isEmpty() || push.payload() == null || push.payload().getInteger("count") != i + 1) {
                    undecryptable++;
                    continue;
                }
                byCount.merge(String.valueOf(i), 1, Integer::sum);
            }
        }
        return delivery(byCount, undecryptable);
    }

    private static Map<String, Object> delivery(Map<String, Integer> byId, int wrong) {
        long duplicated = byId.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        return Map.of("delivered", byId.size(), "missing", ITEMS - byId.size(), "duplicated", duplicated, "wrong_or_undecryptable", wrong);
    }

    /** The same 5,000 SMS submitted straight to the same SMSC over one bound session by 8 threads; SMS per second. */
    private static double smppOnly(SmscSimulator smsc) throws Exception {
        SMPPSession session = new SMPPSession();
        session.setTransactionTimer(10_000);
        session.connectAndBind("127.0.0.1", smsc.port(), new BindParameter(BindType.BIND_TX, SmscSimulator.SYSTEM_ID,
                SmscSimulator.PASSWORD, "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < ITEMS; i = next.getAndIncrement()) {
                        byte[] text = ("Mon espace santé : code de connexion " + String.format("%06d", i)
                                + ". Ne le donnez à personne.").getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
                        session.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Relais",
                                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, number(i).substring(1), new ESMClass(),
                                (byte) 0, (byte) 1, null, null, new RegisteredDelivery(SMSCDeliveryReceipt.DEFAULT), (byte) 0,
                                new GeneralDataCoding(Alphabet.ALPHA_UCS2), (byte) 0, text);
                    }
                    return null;
                }));
            }
            for (var worker : workers) {
                worker.get();
            }
            return ITEMS / ((System.nanoTime() - start) / 1e9);
        } finally {
            threads.shutdownNow();
            session.unbindAndClose();
        }
    }

    /**
     * The same 5,000 pushes, encrypted and signed by the same library, POSTed straight to the same push service with
     * the same client (64 connections), 200 in flight, with no outbox and no subscription to open; pushes per second.
     */
    private static double pushOnly(Vertx vertx, PushReceiver pushService, List<Device> devices) {
        VapidKeys keys = VapidKeys.generate();
        WebPush webPush = new WebPush("mailto:bench@relais.example", keys);
        pushService.expectKey(keys.getApplicationServerKey());
        WebClient client = WebClient.create(vertx, new WebClientOptions().setTrustOptions(new PemTrustOptions()
                .addCertPath(pushService.certificatePath())).setFollowRedirects(false),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64)); // as the hub's client
        try {
            long start = System.nanoTime();
            for (int first = 0; first < ITEMS; first += 200) {
                List<Future<?>> batch = new ArrayList<>();
                for (int i = first; i < Math.min(ITEMS, first + 200); i++) {
                    PushDevice device = devices.get(i).keys();
                    byte[] body = webPush.getBody(PushTexts.payload("fr", Map.of("messages", i + 1)).encode()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8), device.publicKey(), device.auth());
                    HttpRequest<Buffer> request = client.postAbs(device.endpoint());
                    webPush.getHeadersWithToken(device.endpoint(), 86_400, "counts", WebPush.Urgency.Normal).forEach(request::putHeader);
                    batch.add(request.sendBuffer(Buffer.buffer(body)));
                }
                Future.all(batch).await();
            }
            return ITEMS / ((System.nanoTime() - start) / 1e9);
        } finally {
            client.close();
        }
    }
}
