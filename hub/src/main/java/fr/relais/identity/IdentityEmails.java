package fr.relais.identity;

import fr.relais.mail.Email;
import fr.relais.mail.Html;
import java.time.Duration;

/**
 * The security emails of identity, in French. They carry a code or a link and nothing else: no health data,
 * no detail of the account beyond the person's own name.
 */
public final class IdentityEmails {
    private IdentityEmails() {
    }

    public static Email loginCode(String to, String code, Duration lifetime) {
        long minutes = Math.max(1, lifetime.toMinutes());
        String text = "Bonjour,\n\nVotre code de connexion est : " + code + "\n\nIl est valable " + minutes
                + " minutes et ne peut servir qu'une fois. Si vous n'avez pas demandé à vous connecter, ignorez ce "
                + "message et changez votre mot de passe.\n";
        String html = "<p>Bonjour,</p><p>Votre code de connexion est : <strong style=\"font-size:1.4em;letter-spacing:0.2em\">"
                + code + "</strong></p><p>Il est valable " + minutes + " minutes et ne peut servir qu'une fois. "
                + "Si vous n'avez pas demandé à vous connecter, ignorez ce message et changez votre mot de passe.</p>";
        return new Email(to, "Votre code de connexion", text, html);
    }

    public static Email activation(String to, String displayName, String link, String code, Duration lifetime) {
        long days = Math.max(1, lifetime.toDays());
        String text = "Bonjour " + displayName + ",\n\nVotre espace santé a été créé. Pour l'activer, ouvrez ce lien et "
                + "choisissez votre mot de passe :\n" + link + "\n\nCode d'activation : " + code + "\n\nCe lien est valable "
                + days + " jour(s). Vous pouvez aussi vous opposer à la création de votre espace depuis ce lien : "
                + "aucune donnée ne sera alors conservée.\n";
        String html = "<p>Bonjour " + Html.escape(displayName) + ",</p><p>Votre espace santé a été créé. Pour l'activer, "
                + "<a href=\"" + Html.escape(link) + "\">ouvrez ce lien</a> et choisissez votre mot de passe.</p>"
                + "<p>Code d'activation : <code>" + Html.escape(code) + "</code></p><p>Ce lien est valable " + days
                + " jour(s). Vous pouvez aussi vous opposer à la création de votre espace depuis ce lien : aucune donnée "
                + "ne sera alors conservée.</p>";
        return new Email(to, "Activez votre espace santé", text, html);
    }
}
