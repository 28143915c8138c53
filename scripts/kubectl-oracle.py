# A fake API server so the real kubectl can be compared with kubeplay on what needs a server:
# discovery for kubeplay's kinds, OpenAPI v3 built from the same k8s-openapi descriptions as
# src/kubectl/explain/schema.rs (types outside that set are stubs, description "STUB"), empty
# lists, NotFound for every named object except one called "exists".
#   python3 scripts/kubectl-oracle.py &   kubectl --server=http://127.0.0.1:18099 explain ds.spec
import json, sys, re
from http.server import BaseHTTPRequestHandler, HTTPServer
import os
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen-explain-schema.py')).read().split("if __name__ == '__main__':")[0])
core='crate::api::core::v1::'; apps='crate::api::apps::v1::'; batch='crate::api::batch::v1::'; meta='crate::apimachinery::pkg::apis::meta::v1::'
SET=closure([core+x for x in 'Pod PodSpec Container ContainerPort Toleration PodTemplateSpec Node NodeSpec Taint'.split()]+[apps+x for x in 'DaemonSet DaemonSetSpec DaemonSetUpdateStrategy RollingUpdateDaemonSet'.split()]+[batch+x for x in 'Job JobSpec PodFailurePolicy PodFailurePolicyRule PodFailurePolicyOnExitCodesRequirement PodFailurePolicyOnPodConditionsPattern SuccessPolicy SuccessPolicyRule'.split()]+[meta+x for x in 'LabelSelector Time'.split()]+['crate::apimachinery::pkg::util::intstr::IntOrString'])
def sname(t): return t.replace('crate::','io.k8s.').replace('::','.')
PRIM={'std::string::String':{'type':'string'},'i32':{'type':'integer','format':'int32'},'i64':{'type':'integer','format':'int64'},'f64':{'type':'number'},'bool':{'type':'boolean'},'crate::ByteString':{'type':'string','format':'byte'}}
def fschema(rt, top=True):
    if rt.startswith('Option<'): rt=rt[7:-1]
    if rt.startswith('std::vec::Vec<'): return {'type':'array','items':fschema(rt[14:-1],False)}
    if rt.startswith('std::collections::BTreeMap<std::string::String, '): return {'type':'object','additionalProperties':fschema(rt[len('std::collections::BTreeMap<std::string::String, '):-1],False)}
    if rt in PRIM: return dict(PRIM[rt])
    ref={'$ref':'#/components/schemas/'+sname(rt)}
    if top: return {'allOf':[ref]}
    return {'allOf':[ref]} 
schemas={}
GVK={'Pod':('','v1'),'Node':('','v1'),'DaemonSet':('apps','v1'),'Job':('batch','v1')}
for t in SET:
    d,f=parse(t)
    n=t.split('::')[-1]
    if n=='IntOrString': schemas[sname(t)]={'description':d,'format':'int-or-string','x-kubernetes-int-or-string':True}; continue
    if n=='Time': schemas[sname(t)]={'description':d,'type':'string','format':'date-time'}; continue
    if f is None: schemas[sname(t)]={'description':d}; continue
    s={'description':d,'type':'object','properties':{}}
    req=[]
    if n in GVK:
        s['properties']['apiVersion']={'type':'string','description':APIV}
        s['properties']['kind']={'type':'string','description':KIND}
        s['x-kubernetes-group-version-kind']=[{'group':GVK[n][0],'kind':n,'version':GVK[n][1]}]
    for name,rt,doc in f:
        fs=fschema(rt)
        doc,enum=with_enum(n,name,doc)
        if enum: fs['enum']=enum
        if doc: fs['description']=doc
        s['properties'][name]=fs
        if not rt.startswith('Option<') and name!='metadata': req.append(name)
    if req: s['required']=req
    schemas[sname(t)]=s
# stub ObjectMeta etc. for refs outside the set
for t in list(SET):
    for name,rt,doc in (parse(t)[1] or []):
        g,r=type_info(rt)
        if r and sname(r) not in schemas:
            schemas[sname(r)]={'description':'STUB','type':'object'}
def doc(paths): return {'openapi':'3.0.0','info':{'title':'Kubernetes','version':'v1.34'},'paths':paths,'components':{'schemas':schemas}}
def gvkpath(group,kind,ver): return {'get':{'x-kubernetes-group-version-kind':{'group':group,'kind':kind,'version':ver}}}
DOCS={
 '/openapi/v3/api/v1':doc({'/api/v1/namespaces/{namespace}/pods':gvkpath('','Pod','v1'),'/api/v1/nodes':gvkpath('','Node','v1')}),
 '/openapi/v3/apis/apps/v1':doc({'/apis/apps/v1/namespaces/{namespace}/daemonsets':gvkpath('apps','DaemonSet','v1')}),
 '/openapi/v3/apis/batch/v1':doc({'/apis/batch/v1/namespaces/{namespace}/jobs':gvkpath('batch','Job','v1')}),
}
def res(name,kind,ns,short=[]): return {'name':name,'singularName':kind.lower(),'namespaced':ns,'kind':kind,'verbs':['get','list'],'shortNames':short}
ROUTES={
 '/api':{'kind':'APIVersions','versions':['v1'],'serverAddressByClientCIDRs':[]},
 '/apis':{'kind':'APIGroupList','apiVersion':'v1','groups':[{'name':g,'versions':[{'groupVersion':g+'/v1','version':'v1'}],'preferredVersion':{'groupVersion':g+'/v1','version':'v1'}} for g in ['apps','batch']]},
 '/api/v1':{'kind':'APIResourceList','groupVersion':'v1','resources':[res('pods','Pod',True,['po']),res('nodes','Node',False,['no'])]},
 '/apis/apps/v1':{'kind':'APIResourceList','groupVersion':'apps/v1','resources':[res('daemonsets','DaemonSet',True,['ds'])]},
 '/apis/batch/v1':{'kind':'APIResourceList','groupVersion':'batch/v1','resources':[res('jobs','Job',True)]},
 '/openapi/v3':{'paths':{k[len('/openapi/v3/'):]:{'serverRelativeURL':k+'?hash=ABC'} for k in DOCS}},
}
ROUTES.update(DOCS)
RES = {  # plural: (group, kind, namespaced, short)
 'pods':('','Pod',True,['po']),'nodes':('','Node',False,['no']),'namespaces':('','Namespace',False,['ns']),
 'services':('','Service',True,['svc']),'events':('','Event',True,['ev']),
 'daemonsets':('apps','DaemonSet',True,['ds']),'controllerrevisions':('apps','ControllerRevision',True,[]),
 'jobs':('batch','Job',True,[]),'endpointslices':('discovery.k8s.io','EndpointSlice',True,[]),
}
groups={}
for pl,(g,k,ns,sh) in RES.items(): groups.setdefault(g,[]).append(res(pl,k,ns,sh))
ROUTES['/api/v1']={'kind':'APIResourceList','groupVersion':'v1','resources':groups['']}
ROUTES['/apis']={'kind':'APIGroupList','apiVersion':'v1','groups':[{'name':g,'versions':[{'groupVersion':g+'/v1','version':'v1'}],'preferredVersion':{'groupVersion':g+'/v1','version':'v1'}} for g in groups if g]}
for g in groups:
    if g: ROUTES['/apis/%s/v1'%g]={'kind':'APIResourceList','groupVersion':g+'/v1','resources':groups[g]}
def obj_route(p):
    m=re.match(r'^/(?:api/v1|apis/([^/]+)/v1)(?:/namespaces/([^/]+))?/([a-z]+)(?:/([^/]+))?(?:/([a-z]+))?$',p)
    if not m: return None
    g,ns,pl,name,sub=m.groups()
    if pl not in RES: return None
    return (g or '',ns,pl,name,sub)
class H(BaseHTTPRequestHandler):
    def reply(self,code,obj):
        b=json.dumps(obj).encode()
        self.send_response(code); self.send_header('Content-Type','application/json'); self.send_header('Content-Length',str(len(b))); self.end_headers(); self.wfile.write(b)
    def handle_any(self):
        p=self.path.split('?')[0]
        if self.command=='GET' and p in ROUTES: return self.reply(200,ROUTES[p])
        r=obj_route(p)
        if r:
            g,ns,pl,name,sub=r
            if name is None and self.command=='GET':
                return self.reply(200,{'kind':RES[pl][1]+'List','apiVersion':(g+'/v1' if g else 'v1'),'metadata':{'resourceVersion':'1'},'items':[]})
            if name=='exists' and self.command=='GET':
                return self.reply(200,{'apiVersion':(g+'/v1' if g else 'v1'),'kind':RES[pl][1],'metadata':{'name':'exists','namespace':ns,'uid':'u1','resourceVersion':'5','creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{}})
            gr = pl + ('.'+g if g else '')
            return self.reply(404,{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure','message':'%s "%s" not found'%(gr,name),'reason':'NotFound','details':{'name':name,'group':g,'kind':pl},'code':404})
        sys.stderr.write('404 %s %s\n'%(self.command,self.path))
        self.reply(404,{'kind':'Status','apiVersion':'v1','status':'Failure','reason':'NotFound','code':404,'message':'the server could not find the requested resource'})
    do_GET=do_POST=do_PUT=do_PATCH=do_DELETE=handle_any
    def log_message(self,*a): pass
HTTPServer(('127.0.0.1',18099),H).serve_forever()
