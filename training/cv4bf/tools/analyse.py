import sys, numpy as np, pickle
import os; sys.path.insert(0,os.path.dirname(os.path.abspath(__file__))); from blobs import *
MAPS=os.environ.get('MAPS','maps')
data={}
for k in (1,3):
    ims=load(f'{MAPS}/f{k}')
    for im in ims: im['blobs']=blobs(im); im['truth']=int(im['mask'].sum()); im['fold']=k; del im['img'],im['p'],im['mask']
    data[k]=ims
pickle.dump(data,open(f'{MAPS}/blobs.pkl','wb'))
