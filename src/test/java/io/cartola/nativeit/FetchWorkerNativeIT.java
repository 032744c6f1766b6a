package io.cartola.nativeit;

import io.cartola.scale.FetchWorkerTest;
import io.cartola.testing.QueueProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The queue's worker against the native executable (QUARKUS_FUNQY_EXPORT=fetch-worker), with SQS events. */
@QuarkusIntegrationTest
@TestProfile(QueueProfile.Worker.class)
class FetchWorkerNativeIT extends FetchWorkerTest {
}
