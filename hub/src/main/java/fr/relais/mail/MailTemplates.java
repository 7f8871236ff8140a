package fr.relais.mail;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every email written from Mustache templates on the class path, one set per email and language:
 * {@code mail/<name>.<lang>.subject.mustache}, {@code .text.mustache} and {@code .html.mustache}; every text
 * message (SMS) from {@code mail/<name>.<lang>.sms.mustache}, plain text. The engine
 * escapes every {@code {{value}}} of the HTML part; the subject and the text part are plain text and take values
 * as they are. Templates are read and compiled once, by {@link #load}, on the thread that starts the hub: rendering
 * reads no file, so it runs on any thread, event loops included. A template missing for a language fails the load,
 * hence the start.
 */
public final class MailTemplates {
    /** The languages every email is written in. */
    public static final List<String> LANGUAGES = List.of("fr", "en");
    static final String ROOT = "mail";

    private final Map<String, Mustache> compiled;

    private MailTemplates(Map<String, Mustache> compiled) {
        this.compiled = compiled;
    }

    /**
     * Reads and compiles the emails {@code emails}, the pages {@code pages} (an HTML part only) and the text messages
     * {@code texts}, in every language.
     */
    public static MailTemplates load(Collection<String> emails, Collection<String> pages, Collection<String> texts) {
        DefaultMustacheFactory html = new DefaultMustacheFactory(ROOT);
        DefaultMustacheFactory plain = new DefaultMustacheFactory(ROOT) {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Map<String, Mustache> compiled = new HashMap<>();
        for (String language : LANGUAGES) {
            for (String email : emails) {
                compile(compiled, plain, email, language, "subject");
                compile(compiled, plain, email, language, "text");
                compile(compiled, html, email, language, "html");
            }
            for (String page : pages) {
                compile(compiled, html, page, language, "html");
            }
            for (String text : texts) {
                compile(compiled, plain, text, language, "sms");
            }
        }
        return new MailTemplates(Map.copyOf(compiled));
    }

    /** The file name of one part of one email in one language, under {@code mail/} on the class path. */
    public static String fileName(String name, String language, String part) {
        return name + "." + language + "." + part + ".mustache";
    }

    private static void compile(Map<String, Mustache> compiled, DefaultMustacheFactory factory, String name,
                                String language, String part) {
        String file = fileName(name, language, part);
        try {
            compiled.put(file, factory.compile(file));
        } catch (MustacheException e) {
            throw new IllegalStateException("email template " + ROOT + "/" + file + " is missing or broken: " + e.getMessage(), e);
        }
    }

    /** The email {@code name} in {@code language}, to {@code to}, with the values of {@code scope}. */
    public Email render(String name, String language, String to, Map<String, ?> scope) {
        return new Email(to, run(name, language, "subject", scope).strip(), run(name, language, "text", scope),
                run(name, language, "html", scope));
    }

    /** The text message {@code name} in {@code language}, without surrounding blanks. */
    public String text(String name, String language, Map<String, ?> scope) {
        return run(name, language, "sms", scope).strip();
    }

    /** The HTML page {@code name} in {@code language}. */
    public String page(String name, String language, Map<String, ?> scope) {
        return run(name, language, "html", scope);
    }

    private String run(String name, String language, String part, Map<String, ?> scope) {
        Mustache template = compiled.get(fileName(name, language, part));
        if (template == null) {
            throw new IllegalArgumentException("no template " + fileName(name, language, part) + " was loaded");
        }
        return template.execute(new StringWriter(), scope).toString();
    }
}
