import { expect } from "chai";
import { parseMinimal } from "../helpers";
import { problemTexts, specifies } from "./helpers";

describe("the ticket system", () => {
    it("needs the whole ticket system or none of it, and never shows the ticket secret", () => {
        expect(problemTexts({ ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin" })).to.deep.equal([
            "ticketEndpoint: is required when ticketPlugin is set.",
            "ticketInformation: is required when ticketPlugin is set.",
            "ticketAuthenticationSecret: is required when ticketPlugin is set.",
        ]);
        expect(problemTexts({ ticketEndpoint: "https://rt.example.org/" })).to.deep.equal(["ticketEndpoint: is set, but ticketPlugin is not, so no ticket system would use it."]);
        const secretProblems = problemTexts(
            { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin", ticketEndpoint: "https://rt.example.org/", ticketInformation: "{}" },
            { ticketAuthenticationSecret: "Sentinel-not-json" },
        );
        expect(secretProblems).to.deep.equal(["ticketAuthenticationSecret: is not a JSON object (value not shown)."]);
        expect(secretProblems.join()).not.to.contain("Sentinel");
        const ticket = parseMinimal(
            "staging",
            { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin", ticketEndpoint: "https://rt.example.org/", ticketInformation: '{ "queue": "argus" }' },
            { ticketAuthenticationSecret: '{"token": "t"}' },
        ).api.ticket;
        expect(ticket).to.deep.equal({ plugin: "argus_ticket_rt.RequestTrackerPlugin", endpoint: "https://rt.example.org/", information: '{"queue":"argus"}' });
    });
});

describe("what each ticket setting takes, value by value", () => {
    specifies("ticketEndpoint", {
        accepted: ["https://tickets.example.org", "http://t/x"],
        refused: ["ftp://t", "https://", "https://a b", "xhttps://a"],
        problem: (v) => `"${v}" is not an http(s) URL.`,
        with: { ticketPlugin: "argus.plugins.Ticket", ticketInformation: "{}" },
    });

    specifies("ticketPlugin", {
        accepted: ["argus_ticket_jira.JiraPlugin"],
        refused: ["Jira", "argus ticket.Plugin"],
        problem: (v) => `"${v}" is not a dotted Python class path.`,
        with: { ticketEndpoint: "https://t", ticketInformation: "{}" },
    });
});
