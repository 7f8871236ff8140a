package fr.relais.push;

import java.util.List;
import java.util.Map;

/**
 * A device's label when its person gave none: the browser and the system, read from the {@code User-Agent} as a
 * few words ("Chrome · Android"); the header itself is never kept.
 */
final class DeviceLabels {
    // order matters: Edge, Opera and Samsung Internet also call themselves Chrome and Safari
    private static final List<Map.Entry<String, String>> BROWSERS = List.of(Map.entry("Edg", "Edge"), Map.entry("OPR/", "Opera"),
            Map.entry("SamsungBrowser", "Samsung Internet"), Map.entry("Firefox/", "Firefox"), Map.entry("FxiOS", "Firefox"),
            Map.entry("CriOS", "Chrome"), Map.entry("Chrome/", "Chrome"), Map.entry("Safari/", "Safari"));
    private static final List<Map.Entry<String, String>> SYSTEMS = List.of(Map.entry("Android", "Android"),
            Map.entry("iPhone", "iOS"), Map.entry("iPad", "iPadOS"), Map.entry("CrOS", "ChromeOS"), Map.entry("Windows", "Windows"),
            Map.entry("Mac OS X", "macOS"), Map.entry("Linux", "Linux"));

    private DeviceLabels() {
    }

    static String fromUserAgent(String userAgent) {
        String browser = first(BROWSERS, userAgent);
        String system = first(SYSTEMS, userAgent);
        if (browser == null && system == null) {
            return "Web";
        }
        return browser == null ? system : system == null ? browser : browser + " · " + system;
    }

    private static String first(List<Map.Entry<String, String>> names, String userAgent) {
        if (userAgent == null) {
            return null;
        }
        return names.stream().filter(name -> userAgent.contains(name.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
