/** The JSON writer behind every JSON output of Lanes. */
package dev.lanes.json;
