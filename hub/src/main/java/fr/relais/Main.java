package fr.relais;

import fr.relais.cli.AuditCommand;
import fr.relais.cli.ConfigOptions;
import fr.relais.cli.KeysCommand;
import fr.relais.cli.MailCommand;
import fr.relais.cli.MigrateCommand;
import fr.relais.cli.RelaisCommand;
import fr.relais.cli.ServeCommand;
import fr.relais.cli.UserCommand;
import java.time.Clock;
import picocli.CommandLine;

/** The {@code relais} command line: {@code serve} (the default), {@code migrate}, and admin commands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        run(args, Clock.systemUTC());
    }

    /** Runs the command line with the hub reading the time from {@code clock}. */
    public static void run(String[] args, Clock clock) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ConfigOptions.class ? type.cast(new ConfigOptions(clock)) : CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine cli = new CommandLine(new RelaisCommand(), factory)
                .addSubcommand(new ServeCommand())
                .addSubcommand(new MigrateCommand())
                .addSubcommand(new UserCommand())
                .addSubcommand(new AuditCommand())
                .addSubcommand(new KeysCommand())
                .addSubcommand(new MailCommand());
        int exit = cli.execute(args);
        if (exit != ServeCommand.KEEP_RUNNING) {
            System.exit(exit);
        }
    }
}
