package fr.relais.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IP address or CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}): a base address and the leading bits that must match it. */
public record AddressRange(byte[] base, int prefixBits) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public static AddressRange parse(String spec) {
        String[] parts = spec.trim().split("/", 2);
        byte[] base = literal(parts[0]);
        if (base == null) {
            throw new IllegalArgumentException(spec + " is not an IP address or CIDR range");
        }
        int bits = base.length * 8;
        if (parts.length == 2) {
            if (!parts[1].matches("\\d{1,3}") || Integer.parseInt(parts[1]) > bits) {
                throw new IllegalArgumentException(spec + " has a prefix length that is not between 0 and " + bits);
            }
            bits = Integer.parseInt(parts[1]);
        }
        return new AddressRange(base, bits);
    }

    public boolean contains(byte[] address) {
        if (address.length != base.length) {
            return false;
        }
        for (int bit = 0; bit < prefixBits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (base[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal, or null when the text is not one (never a DNS lookup). */
    public static byte[] literal(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        Matcher v4 = IPV4.matcher(candidate);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (!IPV6.matcher(candidate).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate).getAddress(); // a text with ':' is parsed as a literal, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
