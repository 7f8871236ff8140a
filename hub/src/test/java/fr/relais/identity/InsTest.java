package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.relais.error.ApiError;
import org.junit.jupiter.api.Test;

class InsTest {
    @Test
    void acceptsAValidInsWithOrWithoutSpaces() {
        long nir = 1840575123456L;
        String key = String.format("%02d", 97 - nir % 97);
        assertEquals("1840575123456" + key, Ins.parse("1 84 05 75 123 456 " + key, "ins").value());
    }

    @Test
    void corsicanDepartmentsCountAs19And18() {
        long asNumber2A = Long.parseLong("1840519123456");
        long asNumber2B = Long.parseLong("1840518123456");
        assertEquals("18405" + "2A" + "123456" + String.format("%02d", 97 - asNumber2A % 97),
                Ins.parse("184052A123456" + String.format("%02d", 97 - asNumber2A % 97), "ins").value());
        assertEquals("184052B123456" + String.format("%02d", 97 - asNumber2B % 97),
                Ins.parse("184052b123456" + String.format("%02d", 97 - asNumber2B % 97), "ins").value());
    }

    @Test
    void refusesAWrongKeyAndWrongShapesNamingTheField() {
        long nir = 2920375123456L;
        int wrongKey = (int) ((97 - nir % 97) % 97) + 1;
        ApiError error = assertThrows(ApiError.class, () -> Ins.parse("2920375123456" + String.format("%02d", wrongKey), "patient.ins"));
        assertEquals("patient.ins", error.extensions().getString("field"));
        assertThrows(ApiError.class, () -> Ins.parse("12345", "ins"));
        assertThrows(ApiError.class, () -> Ins.parse("5920375123456" + "01", "ins"));
        assertThrows(ApiError.class, () -> Ins.parse(null, "ins"));
    }

    @Test
    void neverPrintsTheWholeNumber() {
        long nir = 1840575123456L;
        Ins ins = Ins.parse("1840575123456" + String.format("%02d", 97 - nir % 97), "ins");
        assertFalse(ins.toString().contains("1840575"));
    }
}
