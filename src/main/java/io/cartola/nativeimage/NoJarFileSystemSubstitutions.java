package io.cartola.nativeimage;

import java.nio.file.Path;
import java.util.function.Function;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Native executable only, for its size: no ZIP file system (jdk.nio.zipfs; measured effect: package-info). Its
 * only way in is SmallRye's ClassPathUtils opening a {@code jar:file:...!/...} URL as a file system (configuration read
 * from inside a jar). The native executable has no jars: its resources are {@code resource:} URLs, and cartola's
 * configuration comes from the environment, Secrets Manager and the built-in application.properties, so no such URL
 * reaches it. A jar URL in the native executable fails with the message below. JVM mode is unchanged.
 */
@TargetClass(className = "io.smallrye.common.classloader.ClassPathUtils")
final class NoJarFileSystemSubstitutions {

    @Substitute
    private static <R> R processAsJarPath(Path jarPath, String path, Function<Path, R> function) {
        throw new UnsupportedOperationException("reading inside a jar (" + jarPath + ") is not built into cartola's"
                + " native executable (NoJarFileSystemSubstitutions)");
    }
}
