export namespace app {
	
	export class AtRestView {
	    encrypted: boolean;
	    source: string;
	    keyring: boolean;
	    practice: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AtRestView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.encrypted = source["encrypted"];
	        this.source = source["source"];
	        this.keyring = source["keyring"];
	        this.practice = source["practice"];
	    }
	}
	export class AwardView {
	    rule: string;
	    kind: string;
	    entity: string;
	    code: string;
	    at: number;
	    points: number;
	
	    static createFrom(source: any = {}) {
	        return new AwardView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rule = source["rule"];
	        this.kind = source["kind"];
	        this.entity = source["entity"];
	        this.code = source["code"];
	        this.at = source["at"];
	        this.points = source["points"];
	    }
	}
	export class BulletinCount {
	    demands: number;
	    unpublished: number;
	
	    static createFrom(source: any = {}) {
	        return new BulletinCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.demands = source["demands"];
	        this.unpublished = source["unpublished"];
	    }
	}
	export class ReleaseView {
	    present: boolean;
	    name: string;
	    size: number;
	    outcome: string;
	    problem: string;
	    version: string;
	    keyId: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new ReleaseView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.present = source["present"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.outcome = source["outcome"];
	        this.problem = source["problem"];
	        this.version = source["version"];
	        this.keyId = source["keyId"];
	        this.detail = source["detail"];
	    }
	}
	export class MemberRef {
	    id: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new MemberRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	    }
	}
	export class UndoneView {
	    member: MemberRef;
	    count: number;
	    after: number;
	    revokedBy: MemberRef;
	    revokedAt: number;
	    fork: boolean;
	    forkAt: number;
	
	    static createFrom(source: any = {}) {
	        return new UndoneView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = this.convertValues(source["member"], MemberRef);
	        this.count = source["count"];
	        this.after = source["after"];
	        this.revokedBy = this.convertValues(source["revokedBy"], MemberRef);
	        this.revokedAt = source["revokedAt"];
	        this.fork = source["fork"];
	        this.forkAt = source["forkAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BundleResult {
	    path: string;
	    changes: number;
	    applied: number;
	    canceled: boolean;
	    held: number;
	    refused: {[key: string]: number};
	    undone: UndoneView[];
	    release: ReleaseView;
	
	    static createFrom(source: any = {}) {
	        return new BundleResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.changes = source["changes"];
	        this.applied = source["applied"];
	        this.canceled = source["canceled"];
	        this.held = source["held"];
	        this.refused = source["refused"];
	        this.undone = this.convertValues(source["undone"], UndoneView);
	        this.release = this.convertValues(source["release"], ReleaseView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClockView {
	    behindMs: number;
	    held: number;
	    warn: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ClockView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.behindMs = source["behindMs"];
	        this.held = source["held"];
	        this.warn = source["warn"];
	    }
	}
	export class CompletionView {
	    volunteer: MemberRef;
	    by: MemberRef;
	    at: number;
	    expires: number;
	    expired: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CompletionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.volunteer = this.convertValues(source["volunteer"], MemberRef);
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.expires = source["expires"];
	        this.expired = source["expired"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EditValueView {
	    ref: string;
	    by: MemberRef;
	    at: number;
	    text: string;
	    code: string;
	    hidden: boolean;
	    stands: boolean;
	    keep: boolean;
	
	    static createFrom(source: any = {}) {
	        return new EditValueView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ref = source["ref"];
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.text = source["text"];
	        this.code = source["code"];
	        this.hidden = source["hidden"];
	        this.stands = source["stands"];
	        this.keep = source["keep"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConcurrentEditView {
	    ref: string;
	    field: string;
	    values: EditValueView[];
	
	    static createFrom(source: any = {}) {
	        return new ConcurrentEditView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ref = source["ref"];
	        this.field = source["field"];
	        this.values = this.convertValues(source["values"], EditValueView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConflictView {
	    action: string;
	    by: MemberRef;
	    at: number;
	    reason: string;
	    field: string;
	    winner?: MemberRef;
	    winnerAt: number;
	    winnerAction: string;
	    ref: string;
	    ackedBy?: MemberRef;
	    ackedAt: number;
	
	    static createFrom(source: any = {}) {
	        return new ConflictView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.reason = source["reason"];
	        this.field = source["field"];
	        this.winner = this.convertValues(source["winner"], MemberRef);
	        this.winnerAt = source["winnerAt"];
	        this.winnerAction = source["winnerAction"];
	        this.ref = source["ref"];
	        this.ackedBy = this.convertValues(source["ackedBy"], MemberRef);
	        this.ackedAt = source["ackedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ContactView {
	    name: string;
	    phone: string;
	    role: string;
	    kind?: string;
	
	    static createFrom(source: any = {}) {
	        return new ContactView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.phone = source["phone"];
	        this.role = source["role"];
	        this.kind = source["kind"];
	    }
	}
	export class CourseConflictView {
	    action: string;
	    by: MemberRef;
	    at: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new CourseConflictView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CourseInput {
	    id: string;
	    name: string;
	    description: string;
	    materialsLink: string;
	    materialName: string;
	    materialType: string;
	    material: string;
	    removeMaterial: boolean;
	    qualifies: string[];
	    validityDays: number;
	
	    static createFrom(source: any = {}) {
	        return new CourseInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.materialsLink = source["materialsLink"];
	        this.materialName = source["materialName"];
	        this.materialType = source["materialType"];
	        this.material = source["material"];
	        this.removeMaterial = source["removeMaterial"];
	        this.qualifies = source["qualifies"];
	        this.validityDays = source["validityDays"];
	    }
	}
	export class CourseView {
	    id: string;
	    name: string;
	    description: string;
	    materialsLink: string;
	    materialName: string;
	    materialType: string;
	    materialSize: number;
	    qualifies: string[];
	    validityDays: number;
	    trainers: MemberRef[];
	    completions: CompletionView[];
	    conflicts: CourseConflictView[];
	    canRecord: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CourseView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.materialsLink = source["materialsLink"];
	        this.materialName = source["materialName"];
	        this.materialType = source["materialType"];
	        this.materialSize = source["materialSize"];
	        this.qualifies = source["qualifies"];
	        this.validityDays = source["validityDays"];
	        this.trainers = this.convertValues(source["trainers"], MemberRef);
	        this.completions = this.convertValues(source["completions"], CompletionView);
	        this.conflicts = this.convertValues(source["conflicts"], CourseConflictView);
	        this.canRecord = source["canRecord"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CovenantVersionView {
	    id: string;
	    version: number;
	    title: string;
	    text: string;
	    by: MemberRef;
	    at: number;
	    accepted: MemberRef[];
	    edited: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CovenantVersionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.title = source["title"];
	        this.text = source["text"];
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.accepted = this.convertValues(source["accepted"], MemberRef);
	        this.edited = source["edited"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CovenantView {
	    versions: CovenantVersionView[];
	    current: number;
	    mine: number;
	    notAccepted: MemberRef[];
	
	    static createFrom(source: any = {}) {
	        return new CovenantView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.versions = this.convertValues(source["versions"], CovenantVersionView);
	        this.current = source["current"];
	        this.mine = source["mine"];
	        this.notAccepted = this.convertValues(source["notAccepted"], MemberRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DeadlinesInput {
	    reviewMinutes: number;
	    publishMinutes: number;
	    claimMinutes: number;
	    answerMinutes: number;
	    followUpMinutes: number;
	    transferMinutes: number;
	    recheckMinutes: number;
	
	    static createFrom(source: any = {}) {
	        return new DeadlinesInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reviewMinutes = source["reviewMinutes"];
	        this.publishMinutes = source["publishMinutes"];
	        this.claimMinutes = source["claimMinutes"];
	        this.answerMinutes = source["answerMinutes"];
	        this.followUpMinutes = source["followUpMinutes"];
	        this.transferMinutes = source["transferMinutes"];
	        this.recheckMinutes = source["recheckMinutes"];
	    }
	}
	export class DeadlinesView {
	    reviewMinutes: number;
	    publishMinutes: number;
	    claimMinutes: number;
	    answerMinutes: number;
	    followUpMinutes: number;
	    transferMinutes: number;
	    recheckMinutes: number;
	    maxMinutes: number;
	    canEdit: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DeadlinesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reviewMinutes = source["reviewMinutes"];
	        this.publishMinutes = source["publishMinutes"];
	        this.claimMinutes = source["claimMinutes"];
	        this.answerMinutes = source["answerMinutes"];
	        this.followUpMinutes = source["followUpMinutes"];
	        this.transferMinutes = source["transferMinutes"];
	        this.recheckMinutes = source["recheckMinutes"];
	        this.maxMinutes = source["maxMinutes"];
	        this.canEdit = source["canEdit"];
	    }
	}
	export class ReceiptView {
	    item: string;
	    quantity: number;
	
	    static createFrom(source: any = {}) {
	        return new ReceiptView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.item = source["item"];
	        this.quantity = source["quantity"];
	    }
	}
	export class DeliveryView {
	    ref: string;
	    action: string;
	    by: MemberRef;
	    at: number;
	    items: ReceiptView[];
	    note: string;
	    state: string;
	    reason: string;
	    decidedBy?: MemberRef;
	    decidedAt: number;
	
	    static createFrom(source: any = {}) {
	        return new DeliveryView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ref = source["ref"];
	        this.action = source["action"];
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.items = this.convertValues(source["items"], ReceiptView);
	        this.note = source["note"];
	        this.state = source["state"];
	        this.reason = source["reason"];
	        this.decidedBy = this.convertValues(source["decidedBy"], MemberRef);
	        this.decidedAt = source["decidedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ErasureView {
	    by: MemberRef;
	    at: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new ErasureView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VerificationView {
	    how: string;
	    checked: number;
	    approved: number;
	
	    static createFrom(source: any = {}) {
	        return new VerificationView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.how = source["how"];
	        this.checked = source["checked"];
	        this.approved = source["approved"];
	    }
	}
	export class PositionView {
	    lat: number;
	    lon: number;
	
	    static createFrom(source: any = {}) {
	        return new PositionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lat = source["lat"];
	        this.lon = source["lon"];
	    }
	}
	export class SourceFieldView {
	    column: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new SourceFieldView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.column = source["column"];
	        this.value = source["value"];
	    }
	}
	export class TransferView {
	    by: MemberRef;
	    at: number;
	    until: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new TransferView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.until = source["until"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EvidenceView {
	    kind: string;
	    caller: string;
	    at: number;
	    outcome: string;
	    link: string;
	    partner: string;
	
	    static createFrom(source: any = {}) {
	        return new EvidenceView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.caller = source["caller"];
	        this.at = source["at"];
	        this.outcome = source["outcome"];
	        this.link = source["link"];
	        this.partner = source["partner"];
	    }
	}
	export class StepView {
	    action: string;
	    by: MemberRef;
	    at: number;
	    seq: number;
	    change: string;
	    note: string;
	    to?: MemberRef;
	    duplicateOf: string;
	    received: ReceiptView[];
	    outcome: string;
	    until: number;
	    evidence?: EvidenceView;
	    partner: string;
	    fields: string[];
	
	    static createFrom(source: any = {}) {
	        return new StepView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.seq = source["seq"];
	        this.change = source["change"];
	        this.note = source["note"];
	        this.to = this.convertValues(source["to"], MemberRef);
	        this.duplicateOf = source["duplicateOf"];
	        this.received = this.convertValues(source["received"], ReceiptView);
	        this.outcome = source["outcome"];
	        this.until = source["until"];
	        this.evidence = this.convertValues(source["evidence"], EvidenceView);
	        this.partner = source["partner"];
	        this.fields = source["fields"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HiddenField {
	    field: string;
	    level: string;
	    reason: string;
	    sealed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new HiddenField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.level = source["level"];
	        this.reason = source["reason"];
	        this.sealed = source["sealed"];
	    }
	}
	export class ItemView {
	    name: string;
	    unit: string;
	    needed?: number;
	    received: number;
	
	    static createFrom(source: any = {}) {
	        return new ItemView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.unit = source["unit"];
	        this.needed = source["needed"];
	        this.received = source["received"];
	    }
	}
	export class DemandDetail {
	    id: string;
	    code: string;
	    title: string;
	    category: string;
	    district: string;
	    region?: string;
	    status: string;
	    urgency: string;
	    items: ItemView[];
	    createdAt: number;
	    byContact?: boolean;
	    description: string;
	    requesterOrg: string;
	    address: string;
	    source: string;
	    imported: boolean;
	    reviewNotes: string;
	    flaggedOriginal: string;
	    duplicateOf: string;
	    tags: string[];
	    contacts: ContactView[];
	    owner?: MemberRef;
	    createdBy: MemberRef;
	    updatedAt: number;
	    hidden: HiddenField[];
	    history: StepView[];
	    conflicts: ConflictView[];
	    allowed: string[];
	    transfer?: TransferView;
	    followUpSince: number;
	    confirmed: number;
	    deliveries: DeliveryView[];
	    sourceFields: SourceFieldView[];
	    position?: PositionView;
	    editable: boolean;
	    ownerRevoked: boolean;
	    verified?: VerificationView;
	    erased?: ErasureView;
	    concurrent: ConcurrentEditView[];
	    erasable: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DemandDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.title = source["title"];
	        this.category = source["category"];
	        this.district = source["district"];
	        this.region = source["region"];
	        this.status = source["status"];
	        this.urgency = source["urgency"];
	        this.items = this.convertValues(source["items"], ItemView);
	        this.createdAt = source["createdAt"];
	        this.byContact = source["byContact"];
	        this.description = source["description"];
	        this.requesterOrg = source["requesterOrg"];
	        this.address = source["address"];
	        this.source = source["source"];
	        this.imported = source["imported"];
	        this.reviewNotes = source["reviewNotes"];
	        this.flaggedOriginal = source["flaggedOriginal"];
	        this.duplicateOf = source["duplicateOf"];
	        this.tags = source["tags"];
	        this.contacts = this.convertValues(source["contacts"], ContactView);
	        this.owner = this.convertValues(source["owner"], MemberRef);
	        this.createdBy = this.convertValues(source["createdBy"], MemberRef);
	        this.updatedAt = source["updatedAt"];
	        this.hidden = this.convertValues(source["hidden"], HiddenField);
	        this.history = this.convertValues(source["history"], StepView);
	        this.conflicts = this.convertValues(source["conflicts"], ConflictView);
	        this.allowed = source["allowed"];
	        this.transfer = this.convertValues(source["transfer"], TransferView);
	        this.followUpSince = source["followUpSince"];
	        this.confirmed = source["confirmed"];
	        this.deliveries = this.convertValues(source["deliveries"], DeliveryView);
	        this.sourceFields = this.convertValues(source["sourceFields"], SourceFieldView);
	        this.position = this.convertValues(source["position"], PositionView);
	        this.editable = source["editable"];
	        this.ownerRevoked = source["ownerRevoked"];
	        this.verified = this.convertValues(source["verified"], VerificationView);
	        this.erased = this.convertValues(source["erased"], ErasureView);
	        this.concurrent = this.convertValues(source["concurrent"], ConcurrentEditView);
	        this.erasable = source["erasable"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DemandSummary {
	    id: string;
	    code: string;
	    title: string;
	    category: string;
	    district: string;
	    region?: string;
	    status: string;
	    urgency: string;
	    items: ItemView[];
	    createdAt: number;
	    byContact?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DemandSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.title = source["title"];
	        this.category = source["category"];
	        this.district = source["district"];
	        this.region = source["region"];
	        this.status = source["status"];
	        this.urgency = source["urgency"];
	        this.items = this.convertValues(source["items"], ItemView);
	        this.createdAt = source["createdAt"];
	        this.byContact = source["byContact"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DemandPage {
	    items: DemandSummary[];
	    total: number;
	    contactsSearched: boolean;
	    contactsBuilding?: boolean;
	    contactsRead?: number;
	
	    static createFrom(source: any = {}) {
	        return new DemandPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], DemandSummary);
	        this.total = source["total"];
	        this.contactsSearched = source["contactsSearched"];
	        this.contactsBuilding = source["contactsBuilding"];
	        this.contactsRead = source["contactsRead"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class DuplicateReview {
	    id: string;
	    code: string;
	    org: string;
	    original: string;
	    originalCode: string;
	    originalOrg: string;
	    reasons: string[];
	    addsContacts: ContactView[];
	    addsItems: string[];
	    canAnswer: boolean;
	    canMerge: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DuplicateReview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.org = source["org"];
	        this.original = source["original"];
	        this.originalCode = source["originalCode"];
	        this.originalOrg = source["originalOrg"];
	        this.reasons = source["reasons"];
	        this.addsContacts = this.convertValues(source["addsContacts"], ContactView);
	        this.addsItems = source["addsItems"];
	        this.canAnswer = source["canAnswer"];
	        this.canMerge = source["canMerge"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DuplicateView {
	    file: string;
	    row: number;
	    org: string;
	    id: string;
	    code: string;
	    original: string;
	    originalCode: string;
	    originalOrg: string;
	    reasons: string[];
	    addsContacts: number;
	    addsItems: string[];
	
	    static createFrom(source: any = {}) {
	        return new DuplicateView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.row = source["row"];
	        this.org = source["org"];
	        this.id = source["id"];
	        this.code = source["code"];
	        this.original = source["original"];
	        this.originalCode = source["originalCode"];
	        this.originalOrg = source["originalOrg"];
	        this.reasons = source["reasons"];
	        this.addsContacts = source["addsContacts"];
	        this.addsItems = source["addsItems"];
	    }
	}
	
	export class EncryptResult {
	    atRest: AtRestView;
	    keys: number;
	    millis: number;
	
	    static createFrom(source: any = {}) {
	        return new EncryptResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.atRest = this.convertValues(source["atRest"], AtRestView);
	        this.keys = source["keys"];
	        this.millis = source["millis"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class ExportResult {
	    path: string;
	    format: string;
	    level: string;
	    demands: number;
	    unpublished: number;
	    canceled: boolean;
	    sigPath: string;
	    signProblem: string;
	
	    static createFrom(source: any = {}) {
	        return new ExportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.format = source["format"];
	        this.level = source["level"];
	        this.demands = source["demands"];
	        this.unpublished = source["unpublished"];
	        this.canceled = source["canceled"];
	        this.sigPath = source["sigPath"];
	        this.signProblem = source["signProblem"];
	    }
	}
	export class GroupView {
	    id: string;
	    name: string;
	    function: string;
	    lead: MemberRef;
	    members: MemberRef[];
	    followers: MemberRef[];
	    categories: string[];
	    skills: string[];
	    following: boolean;
	    mine: boolean;
	
	    static createFrom(source: any = {}) {
	        return new GroupView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.function = source["function"];
	        this.lead = this.convertValues(source["lead"], MemberRef);
	        this.members = this.convertValues(source["members"], MemberRef);
	        this.followers = this.convertValues(source["followers"], MemberRef);
	        this.categories = source["categories"];
	        this.skills = source["skills"];
	        this.following = source["following"];
	        this.mine = source["mine"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class HistoryPage {
	    member: MemberRef;
	    awards: AwardView[];
	    offset: number;
	    limit: number;
	    total: number;
	    points: number;
	    rank: number;
	
	    static createFrom(source: any = {}) {
	        return new HistoryPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = this.convertValues(source["member"], MemberRef);
	        this.awards = this.convertValues(source["awards"], AwardView);
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.total = source["total"];
	        this.points = source["points"];
	        this.rank = source["rank"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportColumn {
	    index: number;
	    header: string;
	    tag: string;
	    field: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportColumn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.header = source["header"];
	        this.tag = source["tag"];
	        this.field = source["field"];
	    }
	}
	export class ImportCountsView {
	    sheets: number;
	    rows: number;
	    records: number;
	    demands: number;
	    offers: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportCountsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sheets = source["sheets"];
	        this.rows = source["rows"];
	        this.records = source["records"];
	        this.demands = source["demands"];
	        this.offers = source["offers"];
	    }
	}
	export class ImportMapping {
	    signature: string;
	    kind: string;
	    columns: ImportColumn[];
	
	    static createFrom(source: any = {}) {
	        return new ImportMapping(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signature = source["signature"];
	        this.kind = source["kind"];
	        this.columns = this.convertValues(source["columns"], ImportColumn);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UnmappedColumnView {
	    index: number;
	    column: string;
	    cells: number;
	    samples: string[];
	
	    static createFrom(source: any = {}) {
	        return new UnmappedColumnView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.column = source["column"];
	        this.cells = source["cells"];
	        this.samples = source["samples"];
	    }
	}
	export class ImportProblem {
	    file: string;
	    sheet: string;
	    row: number;
	    field: string;
	    value: string;
	    message: string;
	    rejected: boolean;
	    code: string;
	    args: {[key: string]: string};
	
	    static createFrom(source: any = {}) {
	        return new ImportProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.sheet = source["sheet"];
	        this.row = source["row"];
	        this.field = source["field"];
	        this.value = source["value"];
	        this.message = source["message"];
	        this.rejected = source["rejected"];
	        this.code = source["code"];
	        this.args = source["args"];
	    }
	}
	export class RecordPreview {
	    row: number;
	    kind: string;
	    org: string;
	    district: string;
	    address: string;
	    category: string;
	    items: string[];
	    contacts: string[];
	    status: string;
	    place?: string;
	
	    static createFrom(source: any = {}) {
	        return new RecordPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.kind = source["kind"];
	        this.org = source["org"];
	        this.district = source["district"];
	        this.address = source["address"];
	        this.category = source["category"];
	        this.items = source["items"];
	        this.contacts = source["contacts"];
	        this.status = source["status"];
	        this.place = source["place"];
	    }
	}
	export class PreviewRow {
	    row: number;
	    line: number;
	    cells: string[];
	
	    static createFrom(source: any = {}) {
	        return new PreviewRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.line = source["line"];
	        this.cells = source["cells"];
	    }
	}
	export class ImportPreview {
	    path: string;
	    file: string;
	    format: string;
	    encoding: string;
	    sheet: string;
	    sheets: string[];
	    headerRow: number;
	    mapping: ImportMapping;
	    remembered: boolean;
	    fields: string[];
	    rows: PreviewRow[];
	    rowCount: number;
	    records: RecordPreview[];
	    recordCount: number;
	    demands: number;
	    offers: number;
	    whole: ImportCountsView;
	    problems: ImportProblem[];
	    problemCount: number;
	    unmapped: UnmappedColumnView[];
	
	    static createFrom(source: any = {}) {
	        return new ImportPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.file = source["file"];
	        this.format = source["format"];
	        this.encoding = source["encoding"];
	        this.sheet = source["sheet"];
	        this.sheets = source["sheets"];
	        this.headerRow = source["headerRow"];
	        this.mapping = this.convertValues(source["mapping"], ImportMapping);
	        this.remembered = source["remembered"];
	        this.fields = source["fields"];
	        this.rows = this.convertValues(source["rows"], PreviewRow);
	        this.rowCount = source["rowCount"];
	        this.records = this.convertValues(source["records"], RecordPreview);
	        this.recordCount = source["recordCount"];
	        this.demands = source["demands"];
	        this.offers = source["offers"];
	        this.whole = this.convertValues(source["whole"], ImportCountsView);
	        this.problems = this.convertValues(source["problems"], ImportProblem);
	        this.problemCount = source["problemCount"];
	        this.unmapped = this.convertValues(source["unmapped"], UnmappedColumnView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class UpdateView {
	    kind: string;
	    file: string;
	    row: number;
	    org: string;
	    id: string;
	    code: string;
	    fields: string[];
	    held: boolean;
	    edited: string[];
	    sealed: string[];
	
	    static createFrom(source: any = {}) {
	        return new UpdateView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.file = source["file"];
	        this.row = source["row"];
	        this.org = source["org"];
	        this.id = source["id"];
	        this.code = source["code"];
	        this.fields = source["fields"];
	        this.held = source["held"];
	        this.edited = source["edited"];
	        this.sealed = source["sealed"];
	    }
	}
	export class ImportReport {
	    path: string;
	    file: string;
	    records: number;
	    created: number;
	    updated: number;
	    held: number;
	    skipped: number;
	    flagged: number;
	    rejected: number;
	    cut: number;
	    ids: string[];
	    duplicates: DuplicateView[];
	    updates: UpdateView[];
	    problems: ImportProblem[];
	
	    static createFrom(source: any = {}) {
	        return new ImportReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.file = source["file"];
	        this.records = source["records"];
	        this.created = source["created"];
	        this.updated = source["updated"];
	        this.held = source["held"];
	        this.skipped = source["skipped"];
	        this.flagged = source["flagged"];
	        this.rejected = source["rejected"];
	        this.cut = source["cut"];
	        this.ids = source["ids"];
	        this.duplicates = this.convertValues(source["duplicates"], DuplicateView);
	        this.updates = this.convertValues(source["updates"], UpdateView);
	        this.problems = this.convertValues(source["problems"], ImportProblem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WithdrawalView {
	    ref: string;
	    by: MemberRef;
	    at: number;
	    note: string;
	    outcome: string;
	    owner?: MemberRef;
	    received: ReceiptView[];
	    undone_from?: string;
	    acted_by?: MemberRef;
	
	    static createFrom(source: any = {}) {
	        return new WithdrawalView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ref = source["ref"];
	        this.by = this.convertValues(source["by"], MemberRef);
	        this.at = source["at"];
	        this.note = source["note"];
	        this.outcome = source["outcome"];
	        this.owner = this.convertValues(source["owner"], MemberRef);
	        this.received = this.convertValues(source["received"], ReceiptView);
	        this.undone_from = source["undone_from"];
	        this.acted_by = this.convertValues(source["acted_by"], MemberRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NoticeView {
	    conflict?: ConflictView;
	    delivery?: DeliveryView;
	    owner?: MemberRef;
	    coordinators: boolean;
	    resolve: string[];
	    fields: string[];
	    withdrawal?: WithdrawalView;
	
	    static createFrom(source: any = {}) {
	        return new NoticeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conflict = this.convertValues(source["conflict"], ConflictView);
	        this.delivery = this.convertValues(source["delivery"], DeliveryView);
	        this.owner = this.convertValues(source["owner"], MemberRef);
	        this.coordinators = source["coordinators"];
	        this.resolve = source["resolve"];
	        this.fields = source["fields"];
	        this.withdrawal = this.convertValues(source["withdrawal"], WithdrawalView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PendingView {
	    kind: string;
	    id: string;
	    demandId: string;
	    code: string;
	    title: string;
	    what: string;
	    status: string;
	    since: number;
	    due: number;
	    overdue: boolean;
	    soon: boolean;
	    to: string;
	    by: string;
	    byName: string;
	    reason: string;
	    contacts: ContactView[];
	    ref: string;
	    notice?: NoticeView;
	    original: string;
	    count: number;
	    seq: number;
	
	    static createFrom(source: any = {}) {
	        return new PendingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.demandId = source["demandId"];
	        this.code = source["code"];
	        this.title = source["title"];
	        this.what = source["what"];
	        this.status = source["status"];
	        this.since = source["since"];
	        this.due = source["due"];
	        this.overdue = source["overdue"];
	        this.soon = source["soon"];
	        this.to = source["to"];
	        this.by = source["by"];
	        this.byName = source["byName"];
	        this.reason = source["reason"];
	        this.contacts = this.convertValues(source["contacts"], ContactView);
	        this.ref = source["ref"];
	        this.notice = this.convertValues(source["notice"], NoticeView);
	        this.original = source["original"];
	        this.count = source["count"];
	        this.seq = source["seq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InboxPage {
	    entries: PendingView[];
	    offset: number;
	    limit: number;
	    total: number;
	    all: number;
	    counts: {[key: string]: number};
	    overdue: number;
	
	    static createFrom(source: any = {}) {
	        return new InboxPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entries = this.convertValues(source["entries"], PendingView);
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.total = source["total"];
	        this.all = source["all"];
	        this.counts = source["counts"];
	        this.overdue = source["overdue"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InboxQuery {
	    what: string;
	    overdueOnly: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new InboxQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.what = source["what"];
	        this.overdueOnly = source["overdueOnly"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class IncidentView {
	    id: string;
	    name: string;
	    dir: string;
	    active: boolean;
	    background: boolean;
	    syncing: boolean;
	    peers: number;
	    problem?: desk.Error;
	
	    static createFrom(source: any = {}) {
	        return new IncidentView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.dir = source["dir"];
	        this.active = source["active"];
	        this.background = source["background"];
	        this.syncing = source["syncing"];
	        this.peers = source["peers"];
	        this.problem = this.convertValues(source["problem"], desk.Error);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class IncidentsView {
	    incidents: IncidentView[];
	    practice: boolean;
	    backgroundMiB: number;
	    backgroundMaxMiB: number;
	
	    static createFrom(source: any = {}) {
	        return new IncidentsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.incidents = this.convertValues(source["incidents"], IncidentView);
	        this.practice = source["practice"];
	        this.backgroundMiB = source["backgroundMiB"];
	        this.backgroundMaxMiB = source["backgroundMaxMiB"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Info {
	    deviceId: string;
	    dataDir: string;
	    startupError: string;
	    networkId: string;
	    networkName: string;
	    memberName: string;
	    role: string;
	    practice: boolean;
	    practiceExists: boolean;
	    startupCode: string;
	    startupArgs: {[key: string]: string};
	    revoked: boolean;
	    revokedBy: MemberRef;
	    revokedAt: number;
	    incident?: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.deviceId = source["deviceId"];
	        this.dataDir = source["dataDir"];
	        this.startupError = source["startupError"];
	        this.networkId = source["networkId"];
	        this.networkName = source["networkName"];
	        this.memberName = source["memberName"];
	        this.role = source["role"];
	        this.practice = source["practice"];
	        this.practiceExists = source["practiceExists"];
	        this.startupCode = source["startupCode"];
	        this.startupArgs = source["startupArgs"];
	        this.revoked = source["revoked"];
	        this.revokedBy = this.convertValues(source["revokedBy"], MemberRef);
	        this.revokedAt = source["revokedAt"];
	        this.incident = source["incident"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ItemName {
	    zh: string;
	    en: string;
	
	    static createFrom(source: any = {}) {
	        return new ItemName(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.zh = source["zh"];
	        this.en = source["en"];
	    }
	}
	
	export class JoinCodeView {
	    code: string;
	    qr: string;
	
	    static createFrom(source: any = {}) {
	        return new JoinCodeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.qr = source["qr"];
	    }
	}
	export class MapLeftOut {
	    rejected: number;
	    duplicate: number;
	    withdrawn: number;
	
	    static createFrom(source: any = {}) {
	        return new MapLeftOut(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rejected = source["rejected"];
	        this.duplicate = source["duplicate"];
	        this.withdrawn = source["withdrawn"];
	    }
	}
	export class MapPoint {
	    kind: string;
	    id: string;
	    code: string;
	    title: string;
	    status: string;
	    lat?: number;
	    lon?: number;
	    place: string;
	    approxLat?: number;
	    approxLon?: number;
	    approxOf: string;
	    approxName: string;
	    positionSealed: boolean;
	    positionOpening: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MapPoint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.code = source["code"];
	        this.title = source["title"];
	        this.status = source["status"];
	        this.lat = source["lat"];
	        this.lon = source["lon"];
	        this.place = source["place"];
	        this.approxLat = source["approxLat"];
	        this.approxLon = source["approxLon"];
	        this.approxOf = source["approxOf"];
	        this.approxName = source["approxName"];
	        this.positionSealed = source["positionSealed"];
	        this.positionOpening = source["positionOpening"];
	    }
	}
	export class MapSource {
	    member: MemberRef;
	    size: number;
	    sha256: string;
	    installed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MapSource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = this.convertValues(source["member"], MemberRef);
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	        this.installed = source["installed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class QualificationView {
	    skill: string;
	    courses: number;
	    done: number;
	    missing: string[];
	    expired: string[];
	    qualified: boolean;
	
	    static createFrom(source: any = {}) {
	        return new QualificationView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.skill = source["skill"];
	        this.courses = source["courses"];
	        this.done = source["done"];
	        this.missing = source["missing"];
	        this.expired = source["expired"];
	        this.qualified = source["qualified"];
	    }
	}
	export class WindowView {
	    day: number;
	    from: number;
	    to: number;
	
	    static createFrom(source: any = {}) {
	        return new WindowView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.from = source["from"];
	        this.to = source["to"];
	    }
	}
	export class VolunteerView {
	    id: string;
	    code: string;
	    key: string;
	    name: string;
	    phone: string;
	    skills: string[];
	    training: string[];
	    region: string;
	    organisation: string;
	    availability: WindowView[];
	    availableNow: boolean;
	    today: WindowView[];
	    load: number;
	    hidden: HiddenField[];
	    emergencyName: string;
	    emergencyPhone: string;
	
	    static createFrom(source: any = {}) {
	        return new VolunteerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.key = source["key"];
	        this.name = source["name"];
	        this.phone = source["phone"];
	        this.skills = source["skills"];
	        this.training = source["training"];
	        this.region = source["region"];
	        this.organisation = source["organisation"];
	        this.availability = this.convertValues(source["availability"], WindowView);
	        this.availableNow = source["availableNow"];
	        this.today = this.convertValues(source["today"], WindowView);
	        this.load = source["load"];
	        this.hidden = this.convertValues(source["hidden"], HiddenField);
	        this.emergencyName = source["emergencyName"];
	        this.emergencyPhone = source["emergencyPhone"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MatchView {
	    volunteer: VolunteerView;
	    score: number;
	    why: string[];
	    qualification?: QualificationView;
	
	    static createFrom(source: any = {}) {
	        return new MatchView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.volunteer = this.convertValues(source["volunteer"], VolunteerView);
	        this.score = source["score"];
	        this.why = source["why"];
	        this.qualification = this.convertValues(source["qualification"], QualificationView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MaterialView {
	    name: string;
	    type: string;
	    data: string;
	
	    static createFrom(source: any = {}) {
	        return new MaterialView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.data = source["data"];
	    }
	}
	
	export class MemberView {
	    id: string;
	    name: string;
	    role: string;
	    endorsedBy: string;
	    since: number;
	    revoked: boolean;
	    covenant: number;
	
	    static createFrom(source: any = {}) {
	        return new MemberView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.endorsedBy = source["endorsedBy"];
	        this.since = source["since"];
	        this.revoked = source["revoked"];
	        this.covenant = source["covenant"];
	    }
	}
	export class NodeView {
	    running: boolean;
	    error: string;
	    peerId: string;
	    addrs: string[];
	    takenPorts: string[];
	
	    static createFrom(source: any = {}) {
	        return new NodeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.error = source["error"];
	        this.peerId = source["peerId"];
	        this.addrs = source["addrs"];
	        this.takenPorts = source["takenPorts"];
	    }
	}
	
	export class OfferView {
	    id: string;
	    code: string;
	    supplier: string;
	    kind: string;
	    region: string;
	    items: ItemView[];
	    phone: string;
	    validUntil: number;
	    expired: boolean;
	    createdAt: number;
	    hidden: HiddenField[];
	    place: string;
	    notes: string;
	
	    static createFrom(source: any = {}) {
	        return new OfferView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.supplier = source["supplier"];
	        this.kind = source["kind"];
	        this.region = source["region"];
	        this.items = this.convertValues(source["items"], ItemView);
	        this.phone = source["phone"];
	        this.validUntil = source["validUntil"];
	        this.expired = source["expired"];
	        this.createdAt = source["createdAt"];
	        this.hidden = this.convertValues(source["hidden"], HiddenField);
	        this.place = source["place"];
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OfferMatchView {
	    offer: OfferView;
	    score: number;
	    why: string[];
	    itemNames: {[key: string]: ItemName};
	
	    static createFrom(source: any = {}) {
	        return new OfferMatchView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offer = this.convertValues(source["offer"], OfferView);
	        this.score = source["score"];
	        this.why = source["why"];
	        this.itemNames = this.convertValues(source["itemNames"], ItemName, true);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OfferPage {
	    offers: OfferView[];
	    offset: number;
	    limit: number;
	    total: number;
	    counts: {[key: string]: number};
	    matching: number;
	    all: number;
	
	    static createFrom(source: any = {}) {
	        return new OfferPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offers = this.convertValues(source["offers"], OfferView);
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.total = source["total"];
	        this.counts = source["counts"];
	        this.matching = source["matching"];
	        this.all = source["all"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OfferQuery {
	    text: string;
	    kind: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new OfferQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.kind = source["kind"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	
	export class PartnerView {
	    id: string;
	    code: string;
	    name: string;
	    type: string;
	    contact: string;
	    phone: string;
	    covenant: number;
	    vouchedBy: MemberRef;
	    notes: string;
	
	    static createFrom(source: any = {}) {
	        return new PartnerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.contact = source["contact"];
	        this.phone = source["phone"];
	        this.covenant = source["covenant"];
	        this.vouchedBy = this.convertValues(source["vouchedBy"], MemberRef);
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PeerView {
	    member: MemberRef;
	    connected: boolean;
	    kind: string;
	    known: boolean;
	    weLack: number;
	    theyLack: number;
	    lastExchange: number;
	    inStepAt: number;
	    synced: boolean;
	    syncing: boolean;
	    applied: number;
	    expected: number;
	    lastError: string;
	    ackSeq: number;
	    ackAt: number;
	    ownSeq: number;
	
	    static createFrom(source: any = {}) {
	        return new PeerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = this.convertValues(source["member"], MemberRef);
	        this.connected = source["connected"];
	        this.kind = source["kind"];
	        this.known = source["known"];
	        this.weLack = source["weLack"];
	        this.theyLack = source["theyLack"];
	        this.lastExchange = source["lastExchange"];
	        this.inStepAt = source["inStepAt"];
	        this.synced = source["synced"];
	        this.syncing = source["syncing"];
	        this.applied = source["applied"];
	        this.expected = source["expected"];
	        this.lastError = source["lastError"];
	        this.ackSeq = source["ackSeq"];
	        this.ackAt = source["ackAt"];
	        this.ownSeq = source["ownSeq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class PracticeInfo {
	    source: string;
	    license: string;
	    demands: number;
	
	    static createFrom(source: any = {}) {
	        return new PracticeInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.license = source["license"];
	        this.demands = source["demands"];
	    }
	}
	
	export class ProfileInput {
	    name: string;
	    phone: string;
	    region: string;
	    organisation: string;
	    skills: string[];
	    training: string[];
	    availability: WindowView[];
	    emergencyName: string;
	    emergencyPhone: string;
	
	    static createFrom(source: any = {}) {
	        return new ProfileInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.phone = source["phone"];
	        this.region = source["region"];
	        this.organisation = source["organisation"];
	        this.skills = source["skills"];
	        this.training = source["training"];
	        this.availability = this.convertValues(source["availability"], WindowView);
	        this.emergencyName = source["emergencyName"];
	        this.emergencyPhone = source["emergencyPhone"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	export class SimilarView {
	    id: string;
	    code: string;
	    title: string;
	    reasons: string[];
	
	    static createFrom(source: any = {}) {
	        return new SimilarView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.title = source["title"];
	        this.reasons = source["reasons"];
	    }
	}
	
	export class StandingView {
	    member: MemberRef;
	    points: number;
	    rank: number;
	    history: AwardView[];
	
	    static createFrom(source: any = {}) {
	        return new StandingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = this.convertValues(source["member"], MemberRef);
	        this.points = source["points"];
	        this.rank = source["rank"];
	        this.history = this.convertValues(source["history"], AwardView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StandingsPage {
	    standings: StandingView[];
	    offset: number;
	    limit: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new StandingsPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.standings = this.convertValues(source["standings"], StandingView);
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class StorageView {
	    recovering: string;
	    diskFull: boolean;
	    free: string;
	    need: string;
	    dir: string;
	    forkSeq: number;
	    forkSince: number;
	    repairedRecords: number;
	    repairedExamples: string[];
	    repairedMissing: number;
	
	    static createFrom(source: any = {}) {
	        return new StorageView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.recovering = source["recovering"];
	        this.diskFull = source["diskFull"];
	        this.free = source["free"];
	        this.need = source["need"];
	        this.dir = source["dir"];
	        this.forkSeq = source["forkSeq"];
	        this.forkSince = source["forkSince"];
	        this.repairedRecords = source["repairedRecords"];
	        this.repairedExamples = source["repairedExamples"];
	        this.repairedMissing = source["repairedMissing"];
	    }
	}
	export class TaskView {
	    id: string;
	    code: string;
	    demand: string;
	    skill: string;
	    offeredTo: MemberRef;
	    status: string;
	    replyBy: number;
	    overdue: boolean;
	    allowed: string[];
	    plannedReturn: number;
	    checkedIn: number;
	    checkedOut: number;
	    byCall: boolean;
	    missedCheckout: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TaskView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.demand = source["demand"];
	        this.skill = source["skill"];
	        this.offeredTo = this.convertValues(source["offeredTo"], MemberRef);
	        this.status = source["status"];
	        this.replyBy = source["replyBy"];
	        this.overdue = source["overdue"];
	        this.allowed = source["allowed"];
	        this.plannedReturn = source["plannedReturn"];
	        this.checkedIn = source["checkedIn"];
	        this.checkedOut = source["checkedOut"];
	        this.byCall = source["byCall"];
	        this.missedCheckout = source["missedCheckout"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TilesInfo {
	    present: boolean;
	    size: number;
	    installed: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new TilesInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.present = source["present"];
	        this.size = source["size"];
	        this.installed = source["installed"];
	        this.url = source["url"];
	    }
	}
	export class TrainingNeedView {
	    volunteer: MemberRef;
	    course: MemberRef;
	    skill: string;
	    expired: number;
	
	    static createFrom(source: any = {}) {
	        return new TrainingNeedView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.volunteer = this.convertValues(source["volunteer"], MemberRef);
	        this.course = this.convertValues(source["course"], MemberRef);
	        this.skill = source["skill"];
	        this.expired = source["expired"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TrainingVolunteerView {
	    id: string;
	    code: string;
	    name: string;
	    memberId: string;
	    stage: string;
	
	    static createFrom(source: any = {}) {
	        return new TrainingVolunteerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.name = source["name"];
	        this.memberId = source["memberId"];
	        this.stage = source["stage"];
	    }
	}
	export class TrainingView {
	    courses: CourseView[];
	    volunteers: TrainingVolunteerView[];
	    needs: TrainingNeedView[];
	    members: MemberRef[];
	    coordinator: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TrainingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.courses = this.convertValues(source["courses"], CourseView);
	        this.volunteers = this.convertValues(source["volunteers"], TrainingVolunteerView);
	        this.needs = this.convertValues(source["needs"], TrainingNeedView);
	        this.members = this.convertValues(source["members"], MemberRef);
	        this.coordinator = source["coordinator"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class UndoneStepView {
	    type: string;
	    kind: string;
	    code: string;
	    action: string;
	    fields: string[];
	    set: string;
	
	    static createFrom(source: any = {}) {
	        return new UndoneStepView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.kind = source["kind"];
	        this.code = source["code"];
	        this.action = source["action"];
	        this.fields = source["fields"];
	        this.set = source["set"];
	    }
	}
	export class UndoneChangeView {
	    member: string;
	    seq: string;
	    at: number;
	    ops: string[];
	    steps: UndoneStepView[];
	    handled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UndoneChangeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = source["member"];
	        this.seq = source["seq"];
	        this.at = source["at"];
	        this.ops = source["ops"];
	        this.steps = this.convertValues(source["steps"], UndoneStepView);
	        this.handled = source["handled"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	
	export class VolunteerPage {
	    volunteers: VolunteerView[];
	    offset: number;
	    limit: number;
	    total: number;
	    all: number;
	    skills: string[];
	    regions: string[];
	
	    static createFrom(source: any = {}) {
	        return new VolunteerPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.volunteers = this.convertValues(source["volunteers"], VolunteerView);
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.total = source["total"];
	        this.all = source["all"];
	        this.skills = source["skills"];
	        this.regions = source["regions"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VolunteerQuery {
	    text: string;
	    skill: string;
	    region: string;
	    availableNow: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new VolunteerQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.skill = source["skill"];
	        this.region = source["region"];
	        this.availableNow = source["availableNow"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	
	

}

export namespace desk {
	
	export class EvidenceInput {
	    kind: string;
	    caller: string;
	    at: number;
	    outcome: string;
	    link: string;
	    partner: string;
	
	    static createFrom(source: any = {}) {
	        return new EvidenceInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.caller = source["caller"];
	        this.at = source["at"];
	        this.outcome = source["outcome"];
	        this.link = source["link"];
	        this.partner = source["partner"];
	    }
	}
	export class ReceiptInput {
	    item: string;
	    quantity: string;
	
	    static createFrom(source: any = {}) {
	        return new ReceiptInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.item = source["item"];
	        this.quantity = source["quantity"];
	    }
	}
	export class ActInput {
	    id: string;
	    action: string;
	    note: string;
	    to: string;
	    duplicateOf: string;
	    received: ReceiptInput[];
	    outcome: string;
	    ref: string;
	    evidence?: EvidenceInput;
	    partner: string;
	
	    static createFrom(source: any = {}) {
	        return new ActInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.action = source["action"];
	        this.note = source["note"];
	        this.to = source["to"];
	        this.duplicateOf = source["duplicateOf"];
	        this.received = this.convertValues(source["received"], ReceiptInput);
	        this.outcome = source["outcome"];
	        this.ref = source["ref"];
	        this.evidence = this.convertValues(source["evidence"], EvidenceInput);
	        this.partner = source["partner"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ContactInput {
	    name: string;
	    phone: string;
	
	    static createFrom(source: any = {}) {
	        return new ContactInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.phone = source["phone"];
	    }
	}
	export class PositionInput {
	    lat: number;
	    lon: number;
	
	    static createFrom(source: any = {}) {
	        return new PositionInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lat = source["lat"];
	        this.lon = source["lon"];
	    }
	}
	export class ItemInput {
	    name: string;
	    quantity: string;
	    unit: string;
	
	    static createFrom(source: any = {}) {
	        return new ItemInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.quantity = source["quantity"];
	        this.unit = source["unit"];
	    }
	}
	export class DemandInput {
	    title: string;
	    category: string;
	    district: string;
	    items: ItemInput[];
	    urgency: string;
	    requesterOrg: string;
	    address: string;
	    description: string;
	    contactName: string;
	    contactPhone: string;
	    moreContacts: ContactInput[];
	    position?: PositionInput;
	
	    static createFrom(source: any = {}) {
	        return new DemandInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.category = source["category"];
	        this.district = source["district"];
	        this.items = this.convertValues(source["items"], ItemInput);
	        this.urgency = source["urgency"];
	        this.requesterOrg = source["requesterOrg"];
	        this.address = source["address"];
	        this.description = source["description"];
	        this.contactName = source["contactName"];
	        this.contactPhone = source["contactPhone"];
	        this.moreContacts = this.convertValues(source["moreContacts"], ContactInput);
	        this.position = this.convertValues(source["position"], PositionInput);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DemandQuery {
	    status: string;
	    category: string;
	    district: string;
	    owner: string;
	    text: string;
	    urgency: string;
	    overdue: boolean;
	    sort: string;
	    offset: number;
	    limit: number;
	    region?: string;
	    group?: string;
	
	    static createFrom(source: any = {}) {
	        return new DemandQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.category = source["category"];
	        this.district = source["district"];
	        this.owner = source["owner"];
	        this.text = source["text"];
	        this.urgency = source["urgency"];
	        this.overdue = source["overdue"];
	        this.sort = source["sort"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.region = source["region"];
	        this.group = source["group"];
	    }
	}
	export class Error {
	    code: string;
	    field?: string;
	    message: string;
	    args?: {[key: string]: string};
	
	    static createFrom(source: any = {}) {
	        return new Error(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.field = source["field"];
	        this.message = source["message"];
	        this.args = source["args"];
	    }
	}
	
	export class GroupInput {
	    name: string;
	    function: string;
	    lead: string;
	    members: string[];
	    categories: string[];
	    skills: string[];
	
	    static createFrom(source: any = {}) {
	        return new GroupInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.function = source["function"];
	        this.lead = source["lead"];
	        this.members = source["members"];
	        this.categories = source["categories"];
	        this.skills = source["skills"];
	    }
	}
	
	export class OfferInput {
	    supplier: string;
	    region: string;
	    contactName: string;
	    contactPhone: string;
	    validDays: number;
	    items: ItemInput[];
	
	    static createFrom(source: any = {}) {
	        return new OfferInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.supplier = source["supplier"];
	        this.region = source["region"];
	        this.contactName = source["contactName"];
	        this.contactPhone = source["contactPhone"];
	        this.validDays = source["validDays"];
	        this.items = this.convertValues(source["items"], ItemInput);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PartnerInput {
	    name: string;
	    type: string;
	    contact: string;
	    phone: string;
	    covenant: boolean;
	    notes: string;
	
	    static createFrom(source: any = {}) {
	        return new PartnerInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.contact = source["contact"];
	        this.phone = source["phone"];
	        this.covenant = source["covenant"];
	        this.notes = source["notes"];
	    }
	}
	
	
	export class UndoItem {
	    kind: string;
	    id: string;
	    code: string;
	    title: string;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new UndoItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.code = source["code"];
	        this.title = source["title"];
	        this.reason = source["reason"];
	    }
	}
	export class UndoImportPlan {
	    withdraw: UndoItem[];
	    kept: UndoItem[];
	
	    static createFrom(source: any = {}) {
	        return new UndoImportPlan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.withdraw = this.convertValues(source["withdraw"], UndoItem);
	        this.kept = this.convertValues(source["kept"], UndoItem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

