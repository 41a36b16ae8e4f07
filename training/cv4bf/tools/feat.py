import numpy as np
from score_blobs import ims
keys=['area','mean','max','cy','cx','aspect','extent','border','top','bottom','iin','iring','sdin','contrast','postrel']
groups={'normal':[],'true':[],'falseInLesion':[]}
for im in ims:
    for b in im['blobs']:
        if b['f']['mean']<0.6: continue
        g='normal' if im['truth']==0 else ('true' if b['overlap']>0.3*b['area'] else 'falseInLesion')
        groups[g].append([b['f'][k] for k in keys])
for g,v in groups.items():
    v=np.array(v); print(g,len(v))
    print('  '+'  '.join(f'{k}={np.nanmedian(v[:,i]):.3g}[{np.nanpercentile(v[:,i],10):.2g},{np.nanpercentile(v[:,i],90):.2g}]' for i,k in enumerate(keys)))
