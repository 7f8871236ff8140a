package fr.relais.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** What a file really is, read from its first bytes rather than from what the client declared. */
public final class ContentTypes {
    public static final String PDF = "application/pdf";
    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";
    public static final String XML = "application/xml";
    public static final String TEXT = "text/plain";

    private ContentTypes() {
    }

    /** PDF, JPEG or PNG; null for anything else. */
    public static String detectBinary(byte[] b) {
        if (b.length >= 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F' && b[4] == '-') {
            return PDF;
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return PNG;
        }
        return null;
    }

    /** Also clinical documents (CDA): XML, or plain UTF-8 text; null for anything else. */
    public static String detectDocument(byte[] b) {
        String binary = detectBinary(b);
        if (binary != null) {
            return binary;
        }
        String text = utf8(b);
        if (text == null || text.indexOf('\0') >= 0) {
            return null;
        }
        String head = text.stripLeading();
        return head.startsWith("<?xml") || head.startsWith("<ClinicalDocument") ? XML : TEXT;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
