package fr.relais.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import fr.relais.error.ApiError;
import java.util.EnumSet;
import java.util.Set;

/**
 * Mobile numbers as people write them ("06 12 34 56 78", "+33 6 12 34 56 78", "+44 7700 900123"), read with
 * libphonenumber: valid for their country and able to receive text messages, kept in E.164 form.
 */
public final class PhoneNumbers {
    private static final Set<PhoneNumberType> TEXTABLE = EnumSet.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    /** {@code defaultRegion}: the country of a number written without its international prefix (FR). */
    public PhoneNumbers(String defaultRegion) {
        this.defaultRegion = defaultRegion;
        UTIL.isValidNumber(parse("+33612345678")); // reads the metadata now, on the thread that starts the hub
    }

    /** The mobile number {@code written} in E.164 ({@code +33612345678}); a 400 naming {@code field} otherwise. */
    public String mobile(String field, String written) {
        PhoneNumber number;
        try {
            number = UTIL.parse(written, defaultRegion);
        } catch (NumberParseException e) {
            throw ApiError.of(400, "invalid_phone_number", "This is not a phone number: write it as 06 12 34 56 78 or +33 6 12 34 56 78.")
                    .with("field", field);
        }
        if (!UTIL.isValidNumber(number)) {
            throw ApiError.of(400, "invalid_phone_number", "This number does not exist in its country's numbering plan.")
                    .with("field", field);
        }
        if (!TEXTABLE.contains(UTIL.getNumberType(number))) {
            throw ApiError.of(400, "phone_not_mobile", "This number cannot receive text messages: give a mobile number.")
                    .with("field", field);
        }
        return UTIL.format(number, PhoneNumberFormat.E164);
    }

    /** The number as its owner recognises it, all but its last two digits hidden: {@code +33 6 •• •• •• 78}. */
    public static String masked(String e164) {
        String international = UTIL.format(parse(e164), PhoneNumberFormat.INTERNATIONAL);
        int firstSpace = international.indexOf(' ');
        StringBuilder masked = new StringBuilder(international.substring(0, firstSpace + 1));
        String rest = international.substring(firstSpace + 1);
        int digitsLeft = (int) rest.chars().filter(Character::isDigit).count();
        int seen = 0;
        for (char c : rest.toCharArray()) {
            if (Character.isDigit(c)) {
                seen++;
                masked.append(seen == 1 || seen > digitsLeft - 2 ? c : '•');
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }

    /** The number in the international format people read: {@code +33 6 12 34 56 78}. */
    public static String readable(String e164) {
        return UTIL.format(parse(e164), PhoneNumberFormat.INTERNATIONAL);
    }

    private static PhoneNumber parse(String e164) {
        try {
            return UTIL.parse(e164, "ZZ");
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("not an E.164 number", e);
        }
    }
}
