import java.io.InputStream;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;

/**
 * A java agent for the walker stress test: once the class named in its argument is loaded, a daemon thread
 * redefines it with its own class file every `interval` ms until the JVM exits (a redefinition with the same bytes
 * still replaces the class's methods, leaving the running ones as old versions, and deoptimizes the code that
 * depends on them). Prints "redefine-agent: N redefinitions" to stderr at exit. Argument: class[,interval]
 */
public final class RedefineAgent {
    private static volatile long redefinitions;

    public static void premain(String arguments, Instrumentation instrumentation) {
        String[] parts = arguments.split(",");
        String className = parts[0];
        long interval = parts.length > 1 ? Long.parseLong(parts[1]) : 20;
        Thread redefiner = new Thread(() -> redefineForever(instrumentation, className, interval), "redefine-agent");
        redefiner.setDaemon(true);
        redefiner.start();
        Runtime.getRuntime().addShutdownHook(
                new Thread(() -> System.err.println("redefine-agent: " + redefinitions + " redefinitions")));
    }

    private static void redefineForever(Instrumentation instrumentation, String className, long interval) {
        try {
            Class<?> target = null;
            while (target == null) {
                for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
                    if (loaded.getName().equals(className)) target = loaded;
                }
                Thread.sleep(interval);
            }
            byte[] bytes;
            try (InputStream in = target.getClassLoader().getResourceAsStream(className.replace('.', '/') + ".class")) {
                bytes = in.readAllBytes();
            }
            while (true) {
                instrumentation.redefineClasses(new ClassDefinition(target, bytes));
                redefinitions++;
                Thread.sleep(interval);
            }
        } catch (Exception e) {
            System.err.println("redefine-agent: " + e);
        }
    }
}
