import json, numpy as np
from scipy import ndimage as ndi
def load(prefix):
    idx=json.load(open(prefix+'.json')); raw=open(prefix+'.bin','rb').read(); out=[]
    for e in idx:
        n=e['w']*e['h']; o=e['off']
        img=np.frombuffer(raw,np.uint8,n,o).reshape(e['h'],e['w']).astype(np.float32)
        m=np.frombuffer(raw,np.uint8,n,o+n).reshape(e['h'],e['w'])>0
        p=np.frombuffer(raw,np.float32,n,o+2*n).reshape(e['h'],e['w'])
        out.append(dict(id=e['id'],cls=e['cls'],img=img,mask=m,p=p))
    return out
def blobs(im,t=0.5,minfrac=0.001):
    p=im['p']; h,w=p.shape
    b=ndi.binary_fill_holes(p>=t)
    lab,n=ndi.label(b,structure=np.ones((3,3)))
    res=[]
    for k in range(1,n+1):
        c=lab==k; a=c.sum()
        if a<minfrac*h*w: continue
        ys,xs=np.nonzero(c); y0,y1,x0,x1=ys.min(),ys.max(),xs.min(),xs.max()
        bw,bh=x1-x0+1,y1-y0+1
        r=max(3,int(0.25*np.sqrt(a)))
        ring=ndi.binary_dilation(c,iterations=r)&~c
        below=np.zeros_like(c); below[y1+1:min(h,y1+1+bh),x0:x1+1]=True
        side=np.zeros_like(c); side[y1+1:min(h,y1+1+bh),max(0,x0-bw):x0]=True; side[y1+1:min(h,y1+1+bh),x1+1:min(w,x1+1+bw)]=True
        I=im['img']
        f=dict(area=a/(h*w), mean=p[c].mean(), max=p[c].max(), cy=ys.mean()/h, cx=xs.mean()/w, aspect=bw/bh, extent=a/(bw*bh),
               border=int(y0==0 or x0==0 or y1==h-1 or x1==w-1), top=y0/h, bottom=y1/h,
               iin=I[c].mean(), iring=I[ring].mean() if ring.any() else I[c].mean(), sdin=I[c].std(),
               post=(I[below].mean() if below.any() else np.nan), side=(I[side].mean() if side.any() else np.nan))
        f['contrast']=(f['iring']-f['iin'])/(f['iring']+1)
        f['postrel']=(f['post']-f['side'])/(f['side']+1) if not np.isnan(f['post']) and not np.isnan(f['side']) else 0.0
        ov=(c&im['mask']).sum()
        res.append(dict(f=f,area=int(a),overlap=int(ov),pix=h*w))
    return res
