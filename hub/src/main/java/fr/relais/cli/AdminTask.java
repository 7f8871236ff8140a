package fr.relais.cli;

import fr.relais.Hub;
import fr.relais.config.ConfigException;
import fr.relais.config.RelaisConfig;
import fr.relais.error.ApiError;
import fr.relais.logging.LogSetup;
import io.vertx.core.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** Runs one admin task from the console and turns its outcome into an exit code and one line of output. */
final class AdminTask {
    private AdminTask() {
    }

    static <T> int run(ConfigOptions options, Function<Hub, Future<T>> task, Consumer<T> print) {
        return run(options, task, print, result -> 0);
    }

    static <T> int run(ConfigOptions options, Function<Hub, Future<T>> task, Consumer<T> print, ToIntFunction<T> exitCode) {
        RelaisConfig config;
        try {
            config = options.load();
        } catch (ConfigException e) {
            System.err.println("relais: " + e.getMessage());
            return ServeCommand.CONFIG_ERROR;
        }
        LogSetup.applyToStandardError(config.log());
        try {
            T result = Hub.runAdminTask(config, options.clock(), task);
            print.accept(result);
            return exitCode.applyAsInt(result);
        } catch (ApiError e) {
            System.err.println("relais: " + e.code() + ": " + e.detail());
            return 1;
        }
    }
}
