package fr.relais.loadtest;

import java.util.List;
import java.util.Map;

/** The figures of the messaging scenarios as Markdown tables a reader can compare at a glance. */
final class StepTable {
    private StepTable() {
    }

    static String of(Map<String, Object> rawInsert, Map<String, List<Map<String, Object>>> stepsByTarget) {
        StringBuilder md = new StringBuilder("| raw insert + commit | rows/s | latency p50 / p99 ms |\n|---|---|---|\n");
        rawInsert.forEach((connections, value) -> {
            Map<?, ?> figures = (Map<?, ?>) value;
            Map<?, ?> latency = (Map<?, ?>) figures.get("latency_ms");
            md.append("| ").append(connections.replace('_', ' ')).append(" | ").append(figures.get("rows_per_s")).append(" | ")
                    .append(latency.get("p50")).append(" / ").append(latency.get("p99")).append(" |\n");
        });
        md.append("\n| target | offered /s | achieved /s | REST→socket p50 / p90 / p99 / p99.9 / max ms | REST answer p50 / p99 ms"
                + " | missing / duplicated / out of order / errors / unanswered | generator late p99 ms | passed"
                + " | PostgreSQL: busy backends, top waits % |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        stepsByTarget.forEach((target, steps) -> steps.forEach(step -> {
            Map<?, ?> toSocket = (Map<?, ?>) step.get("send_to_socket_ms");
            Map<?, ?> answer = (Map<?, ?>) step.get("rest_answer_ms");
            md.append("| ").append(target).append(" | ").append(step.get("offered_per_s")).append(" | ").append(step.get("achieved_per_s"))
                    .append(" | ").append(join(toSocket, "p50", "p90", "p99", "p99.9", "max"))
                    .append(" | ").append(join(answer, "p50", "p99"))
                    .append(" | ").append(join(step, "missing", "duplicated", "out_of_order", "errors", "unanswered"))
                    .append(" | ").append(((Map<?, ?>) step.get("generator_late_ms")).get("p99"))
                    .append(" | ").append(step.get("passed"))
                    .append(" | ").append(waits((Map<?, ?>) step.get("postgres_waits"))).append(" |\n");
        }));
        return md.toString();
    }

    private static String waits(Map<?, ?> waits) {
        if (waits == null) {
            return "";
        }
        StringBuilder text = new StringBuilder().append(waits.get("busy_backends_avg"));
        ((Map<?, ?>) waits.get("share_of_busy_backend_time_pct")).entrySet().stream().limit(3)
                .forEach(e -> text.append("; ").append(e.getKey()).append(' ').append(e.getValue()));
        return text.toString();
    }

    private static String join(Map<?, ?> figures, String... keys) {
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            text.append(text.length() == 0 ? "" : " / ").append(figures.get(key));
        }
        return text.toString();
    }
}
