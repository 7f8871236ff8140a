package fr.relais.testing;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * The text of an email as its reader sees it: every header decoded (RFC 2047 encoded words), every part of every
 * multipart walked, and each body decoded from its transfer encoding (quoted-printable, base64) and charset.
 * Searching the raw message would miss an accented word that quoted-printable turned into {@code =C3=A9}.
 */
public final class DecodedMail {
    private DecodedMail() {
    }

    public static String text(MimeMessage message) {
        StringBuilder out = new StringBuilder();
        try {
            append(message, out);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot read an email: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The decoded body of the first part of {@code mimeType} ({@code text/plain}, {@code text/html}), however deep. */
    public static String part(MimeMessage message, String mimeType) {
        try {
            String found = find(message, mimeType);
            if (found == null) {
                throw new AssertionError("no " + mimeType + " part in an email with parts: " + text(message));
            }
            return found;
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot read an email: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String find(Part part, String mimeType) throws MessagingException, IOException {
        if (part.isMimeType(mimeType) && part.getContent() instanceof String body) {
            return body;
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = find(multipart.getBodyPart(i), mimeType);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static void append(Part part, StringBuilder out) throws MessagingException, IOException {
        for (Enumeration<Header> headers = part.getAllHeaders(); headers.hasMoreElements(); ) {
            Header header = headers.nextElement();
            out.append(header.getName()).append(": ").append(MimeUtility.decodeText(MimeUtility.unfold(header.getValue())))
                    .append('\n');
        }
        if (part.getFileName() != null) {
            out.append("filename: ").append(MimeUtility.decodeText(part.getFileName())).append('\n');
        }
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                append(multipart.getBodyPart(i), out);
            }
        } else if (content instanceof String text) {
            out.append(text).append('\n');
        } else if (content instanceof Part nested) {
            append(nested, out); // message/rfc822
        } else {
            try (InputStream decoded = part.getInputStream()) {
                out.append(new String(decoded.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
    }
}
