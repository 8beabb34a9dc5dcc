export namespace app {
	
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
	
	    static createFrom(source: any = {}) {
	        return new DemandInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.category = source["category"];
	        this.district = source["district"];
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
	export class DemandQuery {
	    status: string;
	    category: string;
	    district: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new DemandQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.category = source["category"];
	        this.district = source["district"];
	        this.text = source["text"];
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
	export class DemandSummary {
	    id: string;
	    code: string;
	    title: string;
	    category: string;
	    district: string;
	    status: string;
	    urgency: string;
	    items: ItemView[];
	    createdAt: number;
	
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
	        this.status = source["status"];
	        this.urgency = source["urgency"];
	        this.items = this.convertValues(source["items"], ItemView);
	        this.createdAt = source["createdAt"];
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
	    }
	}
	

}

