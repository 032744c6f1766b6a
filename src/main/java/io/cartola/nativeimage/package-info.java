/**
 * What the native executable leaves out, and the registrations it needs, in one place. Each class names the JDK or
 * library method it replaces, so an upgrade that renames one fails the native build instead of silently keeping or
 * breaking anything. All but {@link io.cartola.nativeimage.NoJodaModule} act only in the native executable; JVM mode
 * is unchanged (the JVM tests cover NoJodaModule).
 *
 * <p>Measured effect of each: the native build of the same commit with that one class removed, against the build with
 * all of them (FIGURES).
 *
 * <ul>
 * <li>{@link io.cartola.nativeimage.NoXmlCatalogSubstitutions}: XML catalogs, and through them the JDK's SAX parser,
 * XML Schema validation, XInclude and XPointer (the S3 client parses with StAX, entities off).</li>
 * <li>{@link io.cartola.nativeimage.NoHttp2Substitutions}: Vert.x' HTTP/2 client connection and Netty's HTTP/2 codec
 * (Khipu and its token endpoint are spoken to over HTTP/1.1).</li>
 * <li>{@link io.cartola.nativeimage.NoJodaModule}: Jackson's Joda-Time module and joda-time (nothing of cartola's is a
 * Joda type).</li>
 * <li>{@link io.cartola.nativeimage.OidcJwtAuthSubstitutions}: the OIDC client's JWT client authentication,
 * smallrye-jwt-build and jose4j (Khipu's token endpoint takes the client secret).</li>
 * <li>{@link io.cartola.nativeimage.NoJarFileSystemSubstitutions}: the ZIP file system (the executable has no jars).</li>
 * <li>{@link io.cartola.nativeimage.NativeReflection}: the reverse, what must stay: Lambda's error document and the
 * Function URL event types, which Jackson binds and nothing else registers for reflection.</li>
 * </ul>
 *
 * <p>Elsewhere, for the same end: {@code -Os} (the {@code native} profile in pom.xml), {@code quarkus.native.monitoring=none}
 * (application.properties), the SDK's unused Apache HttpClient 5 excluded (pom.xml) and function.zip deflated by
 * Zopfli ({@code src/build/ZopfliZip.java}).
 */
package io.cartola.nativeimage;
