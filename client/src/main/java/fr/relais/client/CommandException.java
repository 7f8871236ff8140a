package fr.relais.client;

/** The hub refused a command, with the stable code of its error frame. */
public final class CommandException extends RuntimeException {
    private final String code;

    public CommandException(String code, String message) {
        super(code + ": " + message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
