package io.cartola.function;

import jakarta.inject.Inject;

import io.cartola.rebuild.RebuildInput;
import io.cartola.rebuild.RebuildResult;
import io.cartola.rebuild.ViewRebuild;
import io.quarkus.funqy.Funq;

/** Lambda entry point an operator invokes to recompute views from the raw answers (see {@link ViewRebuild}). */
public class RebuildFunction {

    @Inject
    ViewRebuild rebuild;

    @Funq("rebuild")
    public RebuildResult rebuild(RebuildInput input) {
        return rebuild.rebuild(input);
    }
}
