package fr.relais.cli;

import fr.relais.identity.account.Provisioning;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code relais user add-patient|add-pro|add-admin|add-client}: provisioning from the console. People get an
 * activation code printed here (hand it over, or let them use the emailed link when created through the API).
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Create accounts and integrator clients.",
        subcommands = {UserCommand.AddPatient.class, UserCommand.AddPro.class, UserCommand.AddAdmin.class,
                UserCommand.AddOrganisation.class, UserCommand.AddClient.class})
public final class UserCommand {

    @Command(name = "add-patient", mixinStandardHelpOptions = true, description = "Create a patient's space.")
    static final class AddPatient implements Callable<Integer> {
        @Mixin ConfigOptions config;
        @Option(names = "--ins", required = true, description = "INS: 13-character NIR and 2-digit key") String ins;
        @Option(names = "--email", required = true) String email;
        @Option(names = "--name", required = true, description = "display name") String name;
        @Option(names = "--phone") String phone;

        @Override
        public Integer call() {
            JsonObject body = new JsonObject().put("ins", ins).put("email", email).put("displayName", name);
            if (phone != null) {
                body.put("phone", phone);
            }
            return AdminTask.run(config, hub -> hub.identity().provisioning().addPatient("cli", body), UserCommand::printCreated);
        }
    }

    @Command(name = "add-pro", mixinStandardHelpOptions = true, description = "Create a professional's account.")
    static final class AddPro implements Callable<Integer> {
        @Mixin ConfigOptions config;
        @Option(names = "--rpps", required = true, description = "RPPS: 11 digits") String rpps;
        @Option(names = "--profession", required = true,
                description = "physician, pharmacist, nurse, midwife, dentist, physiotherapist or biologist") String profession;
        @Option(names = "--email", required = true) String email;
        @Option(names = "--name", required = true, description = "display name") String name;
        @Option(names = "--organisation") String organisation;

        @Override
        public Integer call() {
            JsonObject body = new JsonObject().put("rpps", rpps).put("profession", profession).put("email", email)
                    .put("displayName", name);
            if (organisation != null) {
                body.put("organisation", organisation);
            }
            return AdminTask.run(config, hub -> hub.identity().provisioning().addProfessional("cli", body), UserCommand::printCreated);
        }
    }

    @Command(name = "add-admin", mixinStandardHelpOptions = true, description = "Create an administrator.")
    static final class AddAdmin implements Callable<Integer> {
        @Mixin ConfigOptions config;
        @Option(names = "--email", required = true) String email;
        @Option(names = "--name", required = true, description = "display name") String name;

        @Override
        public Integer call() {
            JsonObject body = new JsonObject().put("email", email).put("displayName", name);
            return AdminTask.run(config, hub -> hub.identity().provisioning().addAdmin("cli", body), UserCommand::printCreated);
        }
    }

    @Command(name = "add-organisation", mixinStandardHelpOptions = true,
            description = "Register the organisation an integrator belongs to.")
    static final class AddOrganisation implements Callable<Integer> {
        @Mixin ConfigOptions config;
        @Option(names = "--kind", required = true, description = "hospital, laboratory, software_vendor or catalogue_app")
        String kind;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--finess", description = "FINESS number (health establishments)") String finess;
        @Option(names = "--siret", description = "SIRET number (companies)") String siret;

        @Override
        public Integer call() {
            JsonObject body = new JsonObject().put("kind", kind).put("name", name).put("finess", finess).put("siret", siret);
            return AdminTask.run(config, hub -> hub.identity().organisations().add("cli", body), organisation ->
                    System.out.println("organisation " + organisation.id() + " (" + organisation.kind() + ")"));
        }
    }

    @Command(name = "add-client", mixinStandardHelpOptions = true, description = "Create an integrator client.")
    static final class AddClient implements Callable<Integer> {
        @Mixin ConfigOptions config;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--organisation", required = true, description = "the id add-organisation printed") String organisation;
        @Option(names = "--scopes", required = true, split = ",",
                description = "comma-separated: stream:read, messages:write, documents:write, agenda:write")
        List<String> scopes;

        @Override
        public Integer call() {
            JsonObject body = new JsonObject().put("name", name).put("organisationId", organisation).put("scopes", new JsonArray(scopes));
            return AdminTask.run(config, hub -> hub.identity().provisioning().addIntegrator("cli", body), client ->
                    System.out.println("id=" + client.id() + "\nclient_id=" + client.clientId() + "\nclient_secret=" + client.clientSecret()
                            + "\n(the secret is shown once; store it now)"));
        }
    }

    static void printCreated(Provisioning.Created created) {
        System.out.println("account " + created.account().id() + " (" + created.account().kind().wireName() + ", pending)");
        System.out.println("activation code: " + created.activationCode());
    }

}
