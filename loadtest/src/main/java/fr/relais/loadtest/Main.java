package fr.relais.loadtest;

/** {@code ./loadtest/run <scenario> [seconds] [rate]}: runs one scenario and writes its results under loadtest/results/. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args.length > 0 ? args[0] : "deposits";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        switch (scenario) {
            case "messages" -> DeliveryBenchmark.held(scenario, Workload.messages(), seconds, rate(args, 1000), 3, 25, 3);
            case "messages-saturation" -> DeliveryBenchmark.saturation(scenario, Workload.messages(), stepSeconds(args), rate(args, 8000), 3000);
            case "hot-sender" -> DeliveryBenchmark.saturation(scenario, Workload.hotSender(), stepSeconds(args), rate(args, 8000), 2000);
            case "deposits-held" -> DeliveryBenchmark.held(scenario, Workload.deposits(), seconds, rate(args, 1000),
                    Double.MAX_VALUE, 50, Double.MAX_VALUE);
            case "deposits-socket" -> DeliveryBenchmark.held(scenario, Workload.socketDeposits(), seconds, rate(args, 500),
                    Double.MAX_VALUE, 50, Double.MAX_VALUE);
            case "deposits-saturation" -> DeliveryBenchmark.saturation(scenario, Workload.deposits(), stepSeconds(args), rate(args, 8000), 2500);
            case "deposits" -> DepositBenchmark.run(seconds);
            case "reminders" -> ReminderBenchmark.run(seconds);
            case "mails" -> MailBenchmark.run(seconds);
            case "channels" -> ChannelsBenchmark.run(seconds);
            case "fanout" -> FanoutBenchmark.run(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 5000);
            case "connections" -> ConnectionsBenchmark.run(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 19000);
            case "recovery-storm" -> RecoveryStormBenchmark.run(args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
            case "mixed-day" -> MixedDayBenchmark.run(args.length > 1 ? seconds : 600);
            case "cluster-throughput" -> ClusterThroughputBenchmark.run(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 3);
            case "broadcast" -> BroadcastBenchmark.run(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 10_000);
            case "cluster-connections" -> ClusterConnectionsBenchmark.run(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 100_000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 6);
            case "faults" -> System.exit(FaultSuite.run(args.length > 1 ? seconds : 12) ? 0 : 1);
            default -> {
                System.err.println("unknown scenario " + scenario + "; known: messages, messages-saturation, hot-sender, deposits-held, deposits-socket, deposits-saturation, faults, deposits, reminders, mails, channels, fanout, connections, cluster-connections, broadcast, recovery-storm, mixed-day, cluster-throughput");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static int stepSeconds(String[] args) {
        return args.length > 1 ? Integer.parseInt(args[1]) : 8;
    }

    private static int rate(String[] args, int otherwise) {
        return args.length > 2 ? Integer.parseInt(args[2]) : otherwise;
    }
}
