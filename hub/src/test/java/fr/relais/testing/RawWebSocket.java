package fr.relais.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket written by hand over a plain TCP socket, for what a library client hides: the status line of a
 * refused handshake, every frame the hub sends (WebSocket pings included, answered or not as the test chooses),
 * the exact close frame, and whether the connection ended with the close frame or with a reset. It can also
 * write frames faster than any polite client, or malformed ones. Reads have a deadline.
 */
public final class RawWebSocket implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 15_000;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** A frame from the hub: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame (1005 when it carries none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** The answer to the upgrade request: 101 and its headers, or a refusal with its body. */
    public record Handshake(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How a socket ended: the close frame (null if none came), the text frames before it, and what followed it. */
    public record Ending(Frame close, List<String> textsBefore, String afterClose) {
        public int code() {
            return close == null ? 1006 : close.closeCode();
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Handshake handshake;
    private boolean answerPings = true;
    private int pingsSeen;

    private RawWebSocket(Socket socket, DataInputStream in, Handshake handshake) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /** Sends the upgrade request to {@code /api/v1/ws} with these extra headers and reads the answer's head. */
    public static RawWebSocket open(int port, Map<String, String> headers) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            StringBuilder request = new StringBuilder("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            return new RawWebSocket(socket, in, readHead(in));
        } catch (IOException e) {
            throw new IllegalStateException("the upgrade request failed: " + e, e);
        }
    }

    /** Opens the socket with {@code Authorization: Bearer token} (or none when null); the hub must answer 101. */
    public static RawWebSocket connect(int port, String token) {
        RawWebSocket socket = open(port, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
        if (socket.handshake.status() != 101) {
            socket.close();
            throw new AssertionError("the upgrade was answered " + socket.handshake);
        }
        return socket;
    }

    private static Handshake readHead(DataInputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine.isEmpty()) {
            throw new EOFException("the connection closed without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        String length = headers.get("content-length");
        String body = status == 101 || length == null ? ""
                : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        return new Handshake(status, headers, body);
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    public Handshake handshake() {
        return handshake;
    }

    /** From now on the hub's pings go unanswered, as from a client that has gone silent. */
    public RawWebSocket ignorePings() {
        answerPings = false;
        return this;
    }

    /** How many WebSocket pings the hub has sent so far (heartbeats). */
    public int pingsSeen() {
        return pingsSeen;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    public void sendText(String text) {
        write(frame(TEXT, text.getBytes(StandardCharsets.UTF_8), true));
    }

    /** Writes these bytes, already framed (see {@link #frame}), in one go. */
    public void write(byte[] frames) {
        try {
            out.write(frames);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to the socket failed: " + e, e);
        }
    }

    /** Starts (or answers) the closing handshake with {@code code}. */
    public void sendClose(int code) {
        write(frame(CLOSE, new byte[] {(byte) (code >> 8), (byte) code}, true));
    }

    /** One frame with FIN set; masked as a client must, or not (a protocol violation). */
    public static byte[] frame(int opcode, byte[] payload, boolean masked) {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put((byte) (0x80 | opcode));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.put((byte) (maskBit | payload.length));
        } else if (payload.length < 65536) {
            frame.put((byte) (maskBit | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i % 4]));
            }
        } else {
            frame.put(payload);
        }
        byte[] bytes = new byte[frame.position()];
        frame.flip().get(bytes);
        return bytes;
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /** The next frame other than a ping (pings are counted, and answered unless {@link #ignorePings()}). */
    public Frame read() throws IOException {
        return read(System.nanoTime() + READ_TIMEOUT_MILLIS * 1_000_000L);
    }

    private Frame read(long deadline) throws IOException {
        while (true) {
            if (System.nanoTime() > deadline) { // the hub's pings alone would keep each read alive
                throw new SocketTimeoutException("no frame but pings within " + READ_TIMEOUT_MILLIS + " ms");
            }
            Frame frame = readFrame();
            if (frame.opcode() != PING) {
                return frame;
            }
            heardPing(frame);
        }
    }

    /**
     * Reads until the hub has sent {@code count} pings in all (answering them unless {@link #ignorePings()}); fails if
     * the socket closes first. Returns the text frames read meanwhile.
     */
    public List<String> awaitPings(int count) throws IOException {
        List<String> texts = new ArrayList<>();
        long deadline = System.nanoTime() + READ_TIMEOUT_MILLIS * 1_000_000L;
        while (pingsSeen < count) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException(pingsSeen + " pings of " + count + " within " + READ_TIMEOUT_MILLIS + " ms");
            }
            Frame frame = readFrame();
            if (frame.opcode() == PING) {
                heardPing(frame);
            } else if (frame.opcode() == TEXT) {
                texts.add(frame.text());
            } else if (frame.opcode() == CLOSE) {
                throw new AssertionError("closed with " + frame.closeCode() + " while ping " + count
                        + " was awaited; text frames: " + texts);
            }
        }
        return texts;
    }

    /** The next text frame, failing if the socket closes first. */
    public String readText() throws IOException {
        long deadline = System.nanoTime() + READ_TIMEOUT_MILLIS * 1_000_000L;
        for (Frame frame = read(deadline); ; frame = read(deadline)) {
            if (frame.opcode() == TEXT) {
                return frame.text();
            }
            if (frame.opcode() == CLOSE) {
                throw new AssertionError("closed with " + frame.closeCode() + " while a text frame was awaited");
            }
        }
    }

    /**
     * Reads until the hub's close frame, then answers it and reads what follows until the hub ends the connection.
     * A connection reset or an end of stream before the close frame is an assertion failure naming what was read.
     */
    public Ending awaitClose() {
        List<String> texts = new ArrayList<>();
        Frame close = null;
        long deadline = System.nanoTime() + READ_TIMEOUT_MILLIS * 1_000_000L;
        try {
            while (close == null) {
                Frame frame = read(deadline);
                if (frame.opcode() == TEXT) {
                    texts.add(frame.text());
                } else if (frame.opcode() == CLOSE) {
                    close = frame;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close frame within " + READ_TIMEOUT_MILLIS + " ms; text frames: " + texts, e);
        } catch (IOException e) {
            throw new AssertionError("the connection ended without a close frame (" + e + "); text frames: " + texts, e);
        }
        String after;
        try {
            sendClose(close.closeCode());
            after = in.read() == -1 ? "end of stream" : "more bytes";
        } catch (IOException | IllegalStateException e) {
            after = e.toString();
        }
        return new Ending(close, texts, after);
    }

    private void heardPing(Frame ping) {
        pingsSeen++;
        if (answerPings) {
            write(frame(PONG, ping.payload(), true));
        }
    }

    private Frame readFrame() throws IOException {
        int first = in.read();
        if (first == -1) {
            throw new EOFException("end of stream");
        }
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
