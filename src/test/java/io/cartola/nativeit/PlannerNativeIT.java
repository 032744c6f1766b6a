package io.cartola.nativeit;

import io.cartola.scale.PlannerTest;
import io.cartola.testing.QueueProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** Planning natively: the SQS client sends to ElasticMQ from the native executable. */
@QuarkusIntegrationTest
@TestProfile(QueueProfile.class)
class PlannerNativeIT extends PlannerTest {
}
