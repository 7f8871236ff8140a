package fr.relais.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * A real SMS centre for tests, in-process: an SMPP 3.4 server (jsmpp) that accepts transmitter binds with one
 * system id and password, answers every submit_sm with a message id, and keeps what it received, decoded as a
 * phone would (UCS-2 or the default alphabet). It can be told to refuse one number with a command status, or to
 * refuse everything (an outage of the provider).
 */
public final class SmscSimulator implements AutoCloseable {
    public static final String SYSTEM_ID = "relais";
    public static final String PASSWORD = "smsc-pw";

    /** One message as the SMSC took it. */
    public record Received(String from, String to, String text, byte dataCoding) {
    }

    private final SMPPServerSessionListener listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "smsc-simulator");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Integer refuseAll;
    private volatile boolean closed;

    public SmscSimulator() throws IOException {
        listener = new SMPPServerSessionListener(Ports.belowEphemeralRange());
        listener.setMessageReceiverListener(new Receiver());
        threads.submit(this::acceptLoop);
    }

    public int port() {
        return listener.getPort();
    }

    /** Every message received so far, in order. */
    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The messages received for {@code number} (E.164 with its +). */
    public List<Received> to(String number) {
        return received.stream().filter(m -> m.to().equals(number)).toList();
    }

    /** The text of the latest message to {@code number}, waiting up to {@code within} for one. */
    public String awaitText(String number, Duration within) {
        return Eventually.await("an SMS to " + number, within, () -> to(number), list -> !list.isEmpty())
                .get(to(number).size() - 1).text();
    }

    /** Answers every submit_sm for {@code number} with {@code commandStatus} (an SMPP error). */
    public void refuse(String number, int commandStatus) {
        refusals.put(number.replace("+", ""), commandStatus);
    }

    /** Answers every submit_sm with {@code commandStatus}, or with success again when null. */
    public void refuseAll(Integer commandStatus) {
        refuseAll = commandStatus;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SMPPServerSession session = listener.accept();
                sessions.add(session);
                threads.submit(() -> bind(session));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void bind(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(5_000);
            if (SYSTEM_ID.equals(request.getSystemId()) && PASSWORD.equals(request.getPassword())) {
                request.accept("test-smsc");
            } else {
                request.reject(0x0E); // ESME_RINVPASWD
            }
        } catch (Exception e) {
            session.close();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        sessions.forEach(SMPPServerSession::close);
        listener.close();
        threads.shutdownNow();
    }

    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession session) throws ProcessRequestException {
            Integer refused = refuseAll != null ? refuseAll : refusals.get(submit.getDestAddress());
            if (refused != null) {
                throw new ProcessRequestException("refused by the test", refused);
            }
            boolean ucs2 = (submit.getDataCoding() & 0x0F) == 0x08;
            String text = new String(submit.getShortMessage(), ucs2 ? StandardCharsets.UTF_16BE : StandardCharsets.US_ASCII);
            received.add(new Received(submit.getSourceAddr(), "+" + submit.getDestAddress(), text, submit.getDataCoding()));
            try {
                return new SubmitSmResult(new MessageId(Long.toHexString(ids.incrementAndGet())), new OptionalParameter[0]);
            } catch (org.jsmpp.PDUStringException e) {
                throw new ProcessRequestException(e.getMessage(), 0x08);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submit, SMPPServerSession session) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm query, SMPPServerSession session) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replace, SMPPServerSession session) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancel, SMPPServerSession session) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcast, SMPPServerSession session) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancel, SMPPServerSession session) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm query, SMPPServerSession session)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm data, Session session) throws ProcessRequestException {
            throw unsupported();
        }

        private ProcessRequestException unsupported() {
            return new ProcessRequestException("not supported by the test SMSC", 0x03); // ESME_RINVCMDID
        }
    }
}
