package fr.relais;

import fr.relais.cli.AuditCommand;
import fr.relais.cli.KeysCommand;
import fr.relais.cli.MailCommand;
import fr.relais.cli.MigrateCommand;
import fr.relais.cli.RelaisCommand;
import fr.relais.cli.ServeCommand;
import fr.relais.cli.UserCommand;
import picocli.CommandLine;

/** The {@code relais} command line: {@code serve} (the default), {@code migrate}, and admin commands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new RelaisCommand())
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
