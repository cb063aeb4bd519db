package org.wrenmq.broker.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.Broker;

/**
 * The shape of the broker's code, checked: no import cycles, the API knows nothing of the broker, the core knows
 * nothing of its homes (OSGi, the resource adapter, the standalone main).
 */
class ArchitectureTest {
    private static final String BROKER = "org.wrenmq.broker";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_ARCHIVES)
            .importPackages(BROKER);
    /** The API jar is an archive on the test class path: imported on its own. */
    private static final JavaClasses API = new ClassFileImporter().importPackages("org.wrenmq.api");

    /**
     * Each package under org.wrenmq.broker is one slice. The top package holds both the entry point
     * ({@code Broker}, which wires every package) and the values every package reads ({@code BrokerConfig},
     * {@code ConfigException}), so there each class is a slice of its own: a package may read the config while
     * {@code Broker} builds that package, but no class may sit in a circle.
     */
    private static final SliceAssignment PACKAGES_AND_TOP_CLASSES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (pkg.equals(BROKER)) {
                JavaClass top = c;
                while (top.getEnclosingClass().isPresent()) {
                    top = top.getEnclosingClass().get();
                }
                return SliceIdentifier.of(top.getSimpleName());
            }
            if (pkg.startsWith(BROKER + ".")) {
                return SliceIdentifier.of(pkg.substring(BROKER.length() + 1).split("\\.")[0] + "/");
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages of " + BROKER + " and the classes of its top package";
        }
    };

    @Test
    void brokerCodeHasNoImportCycles() {
        slices().assignedFrom(PACKAGES_AND_TOP_CLASSES).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void apiDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.wrenmq.api..")
                .should().dependOnClassesThat(resideInAPackage("org.wrenmq..")
                        .and(not(resideInAPackage("org.wrenmq.api.."))))
                .check(API);
    }

    @Test
    void coreKnowsNoHome() {
        noClasses().that().resideInAPackage(BROKER + "..")
                .and().resideOutsideOfPackages(BROKER + ".osgi..", BROKER + ".standalone..")
                .should().dependOnClassesThat(resideInAnyPackage("org.osgi..", "jakarta.resource..",
                        BROKER + ".osgi..", BROKER + ".standalone.."))
                .check(MAIN);
    }

    /** Only the homes start a broker: inside the bundle, osgi/ and standalone/ are the only users of Broker. */
    @Test
    void onlyTheHomesUseTheBroker() {
        noClasses().that().resideInAPackage(BROKER + ".(*)..")
                .and().resideOutsideOfPackages(BROKER + ".osgi..", BROKER + ".standalone..")
                .should().dependOnClassesThat().areAssignableTo(Broker.class)
                .check(MAIN);
    }
}
