/**
 * The load generator: N clients × M requests against the running services over REST and gRPC, beside the
 * bare baselines, reported as tables, JSON and a chart.
 */
@NullMarked
package dev.storefront.bench;

import org.jspecify.annotations.NullMarked;
