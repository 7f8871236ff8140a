package fr.relais.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code relais keys rotate}: a new token-signing key now; tokens signed by the old one stay valid until they expire. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage token-signing keys.",
        subcommands = KeysCommand.Rotate.class)
public final class KeysCommand {

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Create a new signing key now.")
    static final class Rotate implements Callable<Integer> {
        @Mixin ConfigOptions config;

        @Override
        public Integer call() {
            return AdminTask.run(config, hub -> hub.identity().signingKeys().rotate(),
                    kid -> System.out.println("new signing key " + kid), kid -> 0);
        }
    }
}
