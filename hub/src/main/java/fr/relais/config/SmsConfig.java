package fr.relais.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How text messages leave the hub: as files (development) or to an SMS centre over SMPP 3.4; which country a
 * number written without its international prefix belongs to; the outbox's pace for them, and at most
 * {@code perNumberPerHour} messages to one number in a clock hour.
 */
public record SmsConfig(Transport transport, Path dir, String sender, String defaultRegion, Duration dispatchEvery,
                        int batchSize, Duration lease, int maxAttempts, int perNumberPerHour, Smpp smpp) {

    public enum Transport { FILE, SMPP }

    /** The SMS centre (SMSC) and the account the hub binds with, as a transmitter. */
    public record Smpp(String host, int port, String systemId, String password, String systemType, Duration timeout,
                       Duration enquireLinkEvery) {
    }

    static SmsConfig from(Settings s) {
        String sender = s.nonBlank("sms.sender");
        if (!sender.matches("[A-Za-z0-9 ]{1,11}|\\+?[0-9]{3,15}")) {
            throw s.invalid("sms.sender", "an alphanumeric sender of at most 11 letters, digits and spaces, or a number");
        }
        String region = s.nonBlank("sms.defaultRegion");
        if (!region.matches("[A-Z]{2}")) {
            throw s.invalid("sms.defaultRegion", "a two-letter country code in capitals, such as FR");
        }
        return new SmsConfig(s.oneOf("sms.transport", Transport.class), Path.of(s.nonBlank("sms.dir")), sender, region,
                s.duration("sms.dispatchEvery", Duration.ofMillis(50), Duration.ofMinutes(10)),
                s.integer("sms.batchSize", 1, 10_000),
                s.duration("sms.lease", Duration.ofSeconds(5), Duration.ofHours(1)),
                s.integer("sms.maxAttempts", 1, 100),
                s.integer("sms.perNumberPerHour", 1, 1000),
                new Smpp(s.nonBlank("sms.smpp.host"), s.integer("sms.smpp.port", 1, 65535), s.string("sms.smpp.systemId"),
                        s.string("sms.smpp.password"), s.string("sms.smpp.systemType"),
                        s.duration("sms.smpp.timeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                        s.duration("sms.smpp.enquireLinkEvery", Duration.ofSeconds(1), Duration.ofMinutes(10))));
    }
}
