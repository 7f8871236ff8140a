package fr.relais;

import fr.relais.cli.MigrateCommand;
import fr.relais.cli.RelaisCommand;
import fr.relais.cli.ServeCommand;
import picocli.CommandLine;

/** The {@code relais} command line: {@code serve} (the default), {@code migrate}, and admin commands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new RelaisCommand())
                .addSubcommand(new ServeCommand())
                .addSubcommand(new MigrateCommand());
        int exit = cli.execute(args);
        if (exit != ServeCommand.KEEP_RUNNING) {
            System.exit(exit);
        }
    }
}
