/** The seam between the API and the engine that runs missions. Users do not need it. */
package dev.orchestrator.api.spi;
