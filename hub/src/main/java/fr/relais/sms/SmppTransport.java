package fr.relais.sms;

import fr.relais.config.SmsConfig;
import fr.relais.outbox.Delivery;
import fr.relais.outbox.DeliveryFailure;
import fr.relais.outbox.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMS to an SMS centre over SMPP 3.4 (jsmpp), bound as a transmitter. jsmpp's calls block, so they run on a
 * worker pool of their own; one bound session serves them all (SMPP lets a transmitter have several requests
 * outstanding) and is bound again after it broke. A text in ASCII goes in the SMSC's default alphabet (160
 * characters), any other in UCS-2 (70). An SMSC refusal of the number, the sender or the message is permanent;
 * throttling, a full queue, a system error, a timeout or a broken connection are temporary.
 */
final class SmppTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(SmppTransport.class);
    private static final int WORKERS = 8;
    private static final java.time.Duration BIND_PAUSE = java.time.Duration.ofSeconds(5);
    /** command_status values that no retry will change (SMPP 3.4, §5.1.3). */
    private static final Set<Integer> PERMANENT = Set.of(
            0x01, // ESME_RINVMSGLEN
            0x0A, // ESME_RINVSRCADR
            0x0B, // ESME_RINVDSTADR
            0x0E, // ESME_RINVPASWD
            0x0F, // ESME_RINVSYSID
            0x48, // ESME_RINVSRCTON
            0x49, // ESME_RINVSRCNPI
            0x50, // ESME_RINVDSTTON
            0x51, // ESME_RINVDSTNPI
            0x62); // ESME_RINVEXPIRY

    private final SmsConfig config;
    private final SmsConfig.Smpp smpp;
    private final WorkerExecutor workers;
    private SMPPSession session; // guarded by this
    private long bindAgainAfter = System.nanoTime(); // guarded by this; System.nanoTime()

    SmppTransport(Vertx vertx, SmsConfig config) {
        this.config = config;
        this.smpp = config.smpp();
        this.workers = vertx.createSharedWorkerExecutor("relais-smpp", WORKERS, smpp.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
    }

    @Override
    public Future<Void> send(Delivery delivery) {
        return workers.executeBlocking(() -> {
            submit(delivery.address(), delivery.content().getString("text"));
            return null;
        }, false);
    }

    private void submit(String number, String text) {
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(text);
        byte[] body = text.getBytes(ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_16BE);
        DataCoding coding = new GeneralDataCoding(ascii ? Alphabet.ALPHA_DEFAULT : Alphabet.ALPHA_UCS2);
        boolean numericSender = config.sender().matches("\\+?[0-9]+");
        SMPPSession bound = bound();
        try {
            bound.submitShortMessage(smpp.systemType(),
                    numericSender ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.ALPHANUMERIC,
                    numericSender ? NumberingPlanIndicator.ISDN : NumberingPlanIndicator.UNKNOWN,
                    config.sender().replace("+", ""), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
                    number.substring(1), new ESMClass(), (byte) 0, (byte) 1, null, null,
                    new RegisteredDelivery(SMSCDeliveryReceipt.DEFAULT), (byte) 0, coding, (byte) 0, body);
        } catch (org.jsmpp.PDUException e) { // the message cannot be encoded as SMPP: it never will be
            throw DeliveryFailure.permanent("SMPP: " + e.getMessage());
        } catch (NegativeResponseException e) {
            String reason = String.format("the SMSC refused the message: command_status 0x%02X", e.getCommandStatus());
            throw PERMANENT.contains(e.getCommandStatus()) ? DeliveryFailure.permanent(reason) : DeliveryFailure.temporary(reason);
        } catch (org.jsmpp.extra.ResponseTimeoutException | org.jsmpp.InvalidResponseException e) {
            // one late or odd answer: the session still serves the requests in flight on it
            throw DeliveryFailure.temporary("SMPP: " + e);
        } catch (Exception e) { // a broken connection: bind again next time
            drop(bound);
            throw DeliveryFailure.temporary("SMPP: " + e);
        }
    }

    private synchronized SMPPSession bound() {
        if (session != null && session.getSessionState().isBound()) {
            return session;
        }
        if (session != null) {
            session.close();
            session = null;
        }
        // an SMSC that cannot be bound is not tried again by every waiting thread in turn, each for its whole timeout
        if (System.nanoTime() - bindAgainAfter < 0) {
            throw DeliveryFailure.temporary("the SMSC at " + smpp.host() + ":" + smpp.port() + " could not be bound a moment ago");
        }
        SMPPSession fresh = new SMPPSession();
        fresh.setTransactionTimer(smpp.timeout().toMillis());
        fresh.setEnquireLinkTimer((int) smpp.enquireLinkEvery().toMillis());
        try {
            fresh.connectAndBind(smpp.host(), smpp.port(), new BindParameter(BindType.BIND_TX, smpp.systemId(), smpp.password(),
                    smpp.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), smpp.timeout().toMillis());
        } catch (IOException e) {
            fresh.close();
            bindAgainAfter = System.nanoTime() + BIND_PAUSE.toNanos();
            throw DeliveryFailure.temporary("cannot bind to the SMSC at " + smpp.host() + ":" + smpp.port() + ": " + e.getMessage());
        }
        log.info("bound to the SMSC at {}:{} as a transmitter", smpp.host(), smpp.port());
        session = fresh;
        return fresh;
    }

    private synchronized void drop(SMPPSession broken) {
        if (session == broken) {
            session.close();
            session = null;
        }
    }

    @Override
    public Future<Void> close() {
        return workers.executeBlocking(() -> {
            synchronized (this) {
                if (session != null) {
                    session.unbindAndClose();
                    session = null;
                }
            }
            return null;
        }).eventually(workers::close).mapEmpty();
    }
}
