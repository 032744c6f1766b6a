/**
 * What the native executable leaves out, and the registrations it needs, in one place. Each class names the JDK or
 * library method it replaces, so an upgrade that renames one fails the native build instead of silently keeping or
 * breaking anything. All but {@link io.cartola.nativeimage.NoJodaModule} act only in the native executable; JVM mode
 * is unchanged (the JVM tests cover NoJodaModule).
 *
 * <p>What each saves, measured on 2026-12-03: the native build with that one class removed against the build with all
 * of them (executable 54,724,728 bytes, 83,124 reachable methods, Quarkus' function.zip before Zopfli 19,069,443 bytes),
 * same commit, same machine; docs/native.md has the command.
 *
 * <ul>
 * <li>{@link io.cartola.nativeimage.NoXmlCatalogSubstitutions}: XML catalogs, and through them the JDK's SAX parser,
 * XML Schema validation, XInclude and XPointer (the S3 client parses with StAX, entities off). Executable 2,818,048
 * bytes, function.zip 985,414 bytes, 2,747 methods.</li>
 * <li>{@link io.cartola.nativeimage.NoHttp2Substitutions}: Vert.x' HTTP/2 client connection and Netty's HTTP/2 codec
 * (Khipu and its token endpoint are spoken to over HTTP/1.1). 1,179,648 bytes, 393,184 bytes, 2,602 methods.</li>
 * <li>{@link io.cartola.nativeimage.NoJodaModule}: Jackson's Joda-Time module and joda-time (nothing of cartola's is a
 * Joda type). 1,048,576 bytes, 354,117 bytes, 1,851 methods.</li>
 * <li>{@link io.cartola.nativeimage.OidcJwtAuthSubstitutions}: the OIDC client's JWT client authentication,
 * smallrye-jwt-build and jose4j (Khipu's token endpoint takes the client secret). 720,896 bytes, 207,941 bytes, 475
 * methods.</li>
 * <li>{@link io.cartola.nativeimage.NoJarFileSystemSubstitutions}: the ZIP file system (the executable has no jars).
 * 262,144 bytes, 202,353 bytes, 482 methods.</li>
 * <li>{@link io.cartola.nativeimage.NativeReflection}: the reverse, what must stay: Lambda's error document and the
 * Function URL event types, which Jackson binds and nothing else registers for reflection.</li>
 * </ul>
 *
 * <p>Summed (each measured alone): 6,029,312 bytes of executable, 2,143,009 of function.zip (11%). Also for size:
 * {@code -Os} (the {@code native} profile in pom.xml; 12,910,592 bytes of executable, 3,793,420 of function.zip),
 * {@code quarkus.native.monitoring=none}
 * (application.properties), the SDK's unused Apache HttpClient 5 excluded (pom.xml) and function.zip deflated by
 * Zopfli ({@code src/build/ZopfliZip.java}).
 */
package io.cartola.nativeimage;
