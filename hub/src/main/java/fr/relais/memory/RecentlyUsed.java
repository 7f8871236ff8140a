package fr.relais.memory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A map safe for any thread that holds at most {@code capacity} entries, forgetting the least recently used first. */
public final class RecentlyUsed<K, V> {
    private final Map<K, V> entries;

    public RecentlyUsed(int capacity) {
        this.entries = Collections.synchronizedMap(new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }

    /** The value kept for {@code key}, or null. */
    public V get(K key) {
        return entries.get(key);
    }

    public void put(K key, V value) {
        entries.put(key, value);
    }

    /** Forgets {@code key}; the value that was kept, or null. */
    public V remove(K key) {
        return entries.remove(key);
    }
}
