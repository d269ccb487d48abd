import ClearanceCore
import Testing

/// The request workflow table (service.md, "How a request moves").
@Suite("Request workflow")
struct WorkflowTests {
    @Test("each state accepts exactly the moves service.md draws")
    func table() {
        let expected: [RequestState: [WorkflowEvent]] = [
            .submitted: [.triagedSocialize, .triagedEscalate, .withdraw],
            .revised: [.triagedSocialize, .triagedEscalate, .withdraw],
            .socialized: [.triagedSocialize, .triagedEscalate, .acknowledge, .revise, .withdraw],
            .escalated: [.triagedSocialize, .triagedEscalate, .approve, .reject, .requestChanges, .revise, .withdraw],
            .changesRequested: [.revise, .withdraw],
            .acknowledged: [], .approved: [], .rejected: [], .withdrawn: [],
        ]
        for state in RequestState.allCases {
            #expect(Workflow.allowed(from: state) == expected[state], "\(state)")
        }
        #expect(RequestState.allCases.filter(\.isOpen) == [.submitted, .socialized, .escalated, .changesRequested, .revised])
    }

    @Test("a full escalation: triage, changes requested, revision, re-triage, approval")
    func escalation() throws {
        var state = RequestState.submitted
        for event in [WorkflowEvent.triagedEscalate, .requestChanges, .revise, .triagedEscalate, .approve] {
            state = try Workflow.next(state, on: event)
        }
        #expect(state == .approved)
    }

    @Test("an illegal move is refused with the moves that are allowed")
    func illegal() {
        #expect(throws: WorkflowError(state: .approved, event: .revise)) { try Workflow.next(.approved, on: .revise) }
        let error = WorkflowError(state: .changesRequested, event: .approve)
        #expect(error.description == "a request that is changes-requested cannot approve; allowed from here: revise, withdraw")
        #expect(WorkflowError(state: .withdrawn, event: .withdraw).description.contains("nothing more can happen"))
    }

    @Test("approval needs every required area; a rejection or a request for changes acts at once")
    func tally() {
        #expect(ApprovalTally.event(required: [.legal, .talent], verdicts: [.legal: .approved]) == nil)
        #expect(ApprovalTally.event(required: [.legal, .talent], verdicts: [.legal: .approved, .talent: .approvedWithConditions]) == .approve)
        #expect(ApprovalTally.event(required: [.legal, .talent], verdicts: [.legal: .approved, .talent: .rejected]) == .reject)
        #expect(ApprovalTally.event(required: [.legal, .talent], verdicts: [.talent: .changesRequested]) == .requestChanges)
        #expect(ApprovalTally.event(required: [], verdicts: [:]) == nil)
    }
}
