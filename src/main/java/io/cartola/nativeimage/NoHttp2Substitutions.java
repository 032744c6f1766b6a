package io.cartola.nativeimage;

import com.oracle.svm.core.annotate.Alias;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

import io.netty.channel.Channel;
import io.vertx.core.Promise;
import io.vertx.core.http.impl.Http1xClientConnection;
import io.vertx.core.http.impl.HttpClientConnection;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.future.PromiseInternal;
import io.vertx.core.net.SocketAddress;

/**
 * Native executable only, for its size: Vert.x' HTTP client without HTTP/2. cartola's Vert.x clients (the REST
 * client for Khipu, the OIDC client for Khipu's token endpoint) speak HTTP/1.1: neither sets http2 or ALPN, so Vert.x
 * never negotiates h2 nor attempts an h2c upgrade. These two methods of Vert.x 4.5's HttpChannelConnector are the only
 * ways into Vert.x' HTTP/2 client connection and Netty's HTTP/2 codec; without them both drop out of the executable
 * (measured effect: package-info). The HTTP/1.1 path is unchanged; JVM mode is unchanged.
 * A client configured for HTTP/2 in the native executable fails to connect with the message below (repeated: a
 * substitution class holds no constants of its own). The substitution names a Vert.x method (a lambda of
 * http1xConnected); if a Vert.x upgrade renames it, the native build fails ("could not find target method") rather
 * than silently keeping or breaking anything.
 */
@TargetClass(className = "io.vertx.core.http.impl.HttpChannelConnector")
final class NoHttp2Substitutions {

    @Alias
    private void connectFailed(Channel ch, Throwable t, Promise<HttpClientConnection> promise) {
    }

    /** ALPN chose h2, or the client is configured for HTTP/2 without upgrade: refused. */
    @Substitute
    private void http2Connected(ContextInternal context, Object metric, Channel ch,
            PromiseInternal<HttpClientConnection> promise) {
        connectFailed(ch, new UnsupportedOperationException(
                "HTTP/2 is not built into cartola's native executable (NoHttp2Substitutions): use HTTP/1.1"), promise);
    }

    /** An HTTP/1.1 connection is ready: as Vert.x does, unless an h2c upgrade is asked for (HTTP/2 configured). */
    @Substitute
    private void lambda$http1xConnected$5(boolean upgrade, Promise<HttpClientConnection> promise, SocketAddress server,
            Http1xClientConnection conn) {
        if (upgrade) {
            conn.close();
            promise.fail(new UnsupportedOperationException(
                "HTTP/2 is not built into cartola's native executable (NoHttp2Substitutions): use HTTP/1.1"));
        } else {
            promise.complete(conn);
        }
    }
}
