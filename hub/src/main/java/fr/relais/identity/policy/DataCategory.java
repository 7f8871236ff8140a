package fr.relais.identity.policy;

import java.util.Locale;

/** The kinds of patient data the profession matrix speaks of. IDENTITY (name, INS) is open to any treating professional. */
public enum DataCategory {
    IDENTITY,
    PRESCRIPTION, LAB_RESULT, DISCHARGE_REPORT, IMAGING_REPORT, VACCINATION_CERTIFICATE, OTHER_DOCUMENT,
    ALLERGIES, CONDITIONS, TREATMENTS, VACCINATIONS, MEASUREMENTS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
