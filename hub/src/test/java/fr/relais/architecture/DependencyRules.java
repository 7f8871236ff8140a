package fr.relais.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency direction as ArchUnit rules, for the packages directly under {@code root}: each may use itself,
 * the packages it is allowed, the JDK and libraries, and nothing else of ours; and no packages form a cycle.
 * The root package itself ({@code Main}, {@code Hub}: the wiring) is named {@code ""}.
 */
final class DependencyRules {
    private DependencyRules() {
    }

    static List<ArchRule> of(String root, Map<String, Set<String>> mayUse) {
        List<ArchRule> rules = new ArrayList<>();
        mayUse.forEach((pkg, allowed) -> rules.add(classes().that().resideInAPackage(packageOf(root, pkg))
                .should().onlyDependOnClassesThat(allowedFor(root, pkg, allowed))
                .as(label(pkg) + " uses only " + (allowed.isEmpty() ? "itself" : String.join(", ", allowed.stream().sorted().toList())))));
        rules.add(slices().matching(root + ".(*)..").should().beFreeOfCycles().as("the packages under " + root + " form no cycle"));
        return rules;
    }

    private static DescribedPredicate<JavaClass> allowedFor(String root, String pkg, Set<String> allowed) {
        return DescribedPredicate.describe("are its own, allowed to it, or not ours", type -> {
            String name = type.getPackageName();
            if (!name.equals(root) && !name.startsWith(root + ".")) {
                return true;
            }
            String top = name.equals(root) ? "" : name.substring(root.length() + 1).split("\\.")[0];
            return top.equals(pkg) || allowed.contains(top);
        });
    }

    private static String packageOf(String root, String pkg) {
        return pkg.isEmpty() ? root : root + "." + pkg + "..";
    }

    private static String label(String pkg) {
        return pkg.isEmpty() ? "the root package" : pkg;
    }
}
