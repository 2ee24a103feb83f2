/**
 * Tools typed by Java records: {@link dev.orchestrator.core.tools.RecordTool} derives a tool's JSON schema from the
 * record of its arguments and hands each call's arguments over as an instance of it. Register one with
 * {@link dev.orchestrator.api.Mission.Builder#tool(dev.orchestrator.api.Tool)}.
 */
package dev.orchestrator.core.tools;
