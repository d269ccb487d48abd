/// A proposed use of generative AI on a production (request-format.md, format 1), with defaults applied.
public struct UseRequest: Sendable, Hashable {
    public var title: String
    public var production: String?
    public var department: Department
    public var purpose: Purpose
    public var description: String
    public var media: [Medium]
    public var steps: [Step]
    public var output: Output
    public var talent: [TalentEntry]
    public var unionWork: UnionWork
    public var nonfiction: Bool
    /// The requester's own answers, by principle id.
    public var answers: [String: Answer]
    /// Where the work is made or released, as given (not expanded); nil when not said.
    public var territories: [Territory]? = nil
    /// The day the use is made (generation, scan or recording); it chooses the rulebooks in force.
    public var useDate: Day? = nil
    /// A generated person recognisable as no real performer, and its part.
    public var syntheticPerformer: SyntheticPerformer = .none

    public init(title: String, production: String? = nil, department: Department = .art, purpose: Purpose = .ideation,
                description: String, media: [Medium], steps: [Step], output: Output = Output(),
                talent: [TalentEntry] = [], unionWork: UnionWork = .none, nonfiction: Bool = false,
                answers: [String: Answer] = [:]) {
        self.title = title
        self.production = production
        self.department = department
        self.purpose = purpose
        self.description = description
        self.media = media
        self.steps = steps
        self.output = output
        self.talent = talent
        self.unionWork = unionWork
        self.nonfiction = nonfiction
        self.answers = answers
    }

    /// One tool or model in the pipeline.
    public struct Step: Sendable, Hashable {
        /// A registry id, or a record written into the request.
        public enum ToolReference: Sendable, Hashable {
            case registered(String)
            case inline(ToolRecord)

            public var id: String {
                switch self {
                case .registered(let id): id
                case .inline(let record): record.id
                }
            }
        }

        public var tool: ToolReference
        public var inputs: [InputKind]
        public var prompt: String?
        public var training: Training
        public var modelOrigin: ModelOrigin

        public init(tool: ToolReference, inputs: [InputKind], prompt: String? = nil,
                    training: Training = .none, modelOrigin: ModelOrigin = .vendor) {
            self.tool = tool
            self.inputs = inputs
            self.prompt = prompt
            self.training = training
            self.modelOrigin = modelOrigin
        }
    }

    /// Where the generated material ends up and how visible it is.
    public struct Output: Sendable, Hashable {
        public var destination: Destination
        public var prominence: Prominence
        public var realistic: Bool
        /// For an ad, trailer or promo rather than the work itself.
        public var advertising: Bool

        public init(destination: Destination = .internal, prominence: Prominence = .none, realistic: Bool = false,
                    advertising: Bool = false) {
            self.destination = destination
            self.prominence = prominence
            self.realistic = realistic
            self.advertising = advertising
        }
    }

    /// A performer whose likeness, voice or performance is involved.
    public struct TalentEntry: Sendable, Hashable {
        public var performer: String
        public var use: TalentUse
        public var exception: ConsentException
        /// A consent record id, or nil for `none`.
        public var consent: String?
        public var deceased: Bool
        /// Under 18 on the as-of day.
        public var minor: Bool = false
        /// A new scan or capture session of this performer is part of the use.
        public var scan: Bool = false
        /// The terms of the named consent, as the request states them (only with a consent).
        public var consentTerms: ConsentTermsGiven? = nil

        public init(performer: String, use: TalentUse, exception: ConsentException = .none,
                    consent: String? = nil, deceased: Bool = false) {
            self.performer = performer
            self.use = use
            self.exception = exception
            self.consent = consent
            self.deceased = deceased
        }
    }

    /// The terms of a replica consent: whether it describes the intended uses reasonably
    /// specifically, who negotiated it for the performer, and whether its licence terms were
    /// signed or initialled separately.
    public struct ConsentTermsGiven: Sendable, Hashable {
        public var specificDescription: Bool
        public var represented: Representation
        public var separatelySigned: Bool

        public init(specificDescription: Bool, represented: Representation, separatelySigned: Bool) {
            self.specificDescription = specificDescription
            self.represented = represented
            self.separatelySigned = separatelySigned
        }
    }
}
