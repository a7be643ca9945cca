/**
 * What the application feels of the database: how long its threads wait for and hold
 * connections and how long its requests take, against a baseline learned while no batch runs.
 */
@NullMarked
package io.github.poolguard.experience;

import org.jspecify.annotations.NullMarked;
