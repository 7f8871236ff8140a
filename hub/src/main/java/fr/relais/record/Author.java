package fr.relais.record;

import java.util.UUID;

/**
 * Who deposits, as the record shows them: a person's name; for a system, the organisation it acts for (its name
 * and id) and the system's own name ({@code via}).
 */
record Author(String name, UUID organisationId, String via) {
}
