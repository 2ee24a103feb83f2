/**
 * How full a conversation's context window is: token estimates calibrated by the usage each response reports, and
 * the windows of known models. The built-in agents' conversations compact themselves by it. Internal: not
 * exported, may change in any release.
 */
package dev.orchestrator.core.internal.context;
