package fr.relais.identity.policy;

import fr.relais.config.ConfigException;
import fr.relais.principal.Profession;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which data categories each profession may read (from {@code policy.matrix} in the configuration). */
public final class ProfessionMatrix {
    private final Map<Profession, Set<DataCategory>> allowed = new EnumMap<>(Profession.class);

    /** Builds the matrix; an unknown profession or category stops start-up with the key named. */
    public ProfessionMatrix(Map<String, List<String>> configured) {
        for (Profession profession : Profession.values()) {
            allowed.put(profession, EnumSet.of(DataCategory.IDENTITY));
        }
        configured.forEach((professionName, categories) -> {
            Profession profession = java.util.Arrays.stream(Profession.values())
                    .filter(p -> p.wireName().equals(professionName)).findFirst()
                    .orElseThrow(() -> new ConfigException("configuration error: policy.matrix." + professionName
                            + " names no known profession"));
            for (String name : categories) {
                if (name.equals("*")) {
                    allowed.get(profession).addAll(EnumSet.allOf(DataCategory.class));
                    continue;
                }
                DataCategory category = java.util.Arrays.stream(DataCategory.values())
                        .filter(c -> c.wireName().equals(name)).findFirst()
                        .orElseThrow(() -> new ConfigException("configuration error: policy.matrix." + professionName
                                + " has an unknown category '" + name + "'"));
                allowed.get(profession).add(category);
            }
        });
    }

    public boolean allows(Profession profession, DataCategory category) {
        return profession != null && allowed.get(profession).contains(category);
    }
}
