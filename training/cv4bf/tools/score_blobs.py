import os, pickle, numpy as np
data=pickle.load(open(os.path.join(os.environ.get('MAPS','maps'),'blobs.pkl'),'rb'))
ims=data[1]+data[3]
def score(keep):  # keep(blob, im) -> bool
    d=[];fp=0;nn=0
    for im in ims:
        kept=[b for b in im['blobs'] if keep(b,im)]
        if im['truth']==0:
            nn+=1; fp+= len(kept)>0; continue
        a=sum(b['area'] for b in kept); o=sum(b['overlap'] for b in kept)
        d.append(2*o/(a+im['truth']))
    return np.mean(d), fp, nn, len(d)
if __name__=='__main__':
    for fl in (0,0.6,0.7,0.75,0.8,0.85,0.9):
        print(fl, score(lambda b,im: b['f']['mean']>=fl))
