package fr.relais.testing;

import fr.relais.Main;

/**
 * The {@code relais} command line of a test's child process: the real one, with the hub's clock a {@link TestClock}
 * standing where the parent test's clock stood when it started the child (passed as {@value TestClock#PROPERTY}).
 */
public final class ClockedMain {
    private ClockedMain() {
    }

    public static void main(String[] args) {
        Main.run(args, new TestClock());
    }
}
