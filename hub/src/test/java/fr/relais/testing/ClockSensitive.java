package fr.relais.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class (or method) whose outcome could depend on the hour or the date: {@code .ci/run} runs these classes again with
 * the test hubs' clock ({@link TestClock}) set at night, late in the evening and on a daylight-saving change day.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(ClockSensitive.TAG)
public @interface ClockSensitive {
    String TAG = "clock-sensitive";
}
